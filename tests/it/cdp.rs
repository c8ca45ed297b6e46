//! A small driver for headless Chromium over the DevTools protocol on a pipe
//! (`--remote-debugging-pipe`: commands on descriptor 3, answers on 4, each a JSON text
//! ended by a NUL byte). It opens tabs, evaluates scripts in them (awaiting their promises)
//! and keeps separate browser contexts for separate users — what the editor and server
//! tests need, without a WebSocket client or a Node.js test runner. Unix only: the pipe is
//! set up with `dup2` before Chromium starts.

use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// A running Chromium; stopped when dropped.
pub struct Browser {
    child: Child,
    commands: std::io::PipeWriter,
    answers: Receiver<Value>,
    next: u64,
    _profile: tempfile::TempDir,
}

/// A tab, attached to by its session.
#[derive(Clone, Debug)]
pub struct Tab {
    pub session: String,
    pub target: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How long one command may take (a scenario's script is one command).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(90);

// `context` and `width` serve the server and phone tests of later steps.
#[allow(dead_code)]
impl Browser {
    /// Starts Chromium, or `None` when it is not installed (CI installs it).
    pub fn launch() -> Option<Browser> {
        let chromium = crate::helpers::chromium()?;
        let profile = crate::helpers::tempdir();
        let (command_read, command_write) = std::io::pipe().unwrap();
        let (answer_read, answer_write) = std::io::pipe().unwrap();
        let (cr, aw) = (command_read.as_raw_fd(), answer_write.as_raw_fd());
        let mut cmd = Command::new(chromium);
        cmd.args(crate::helpers::CHROMIUM_ARGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--remote-debugging-pipe", "--window-size=1400,1000"])
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(if std::env::var_os("ZQ_CHROMIUM_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            });
        // SAFETY: only async-signal-safe fcntl and dup2 calls between fork and exec. Both
        // ends are first copied above 3 and 4, so placing one cannot overwrite the other.
        unsafe {
            cmd.pre_exec(move || {
                let (c, a) = (
                    libc::fcntl(cr, libc::F_DUPFD, 10),
                    libc::fcntl(aw, libc::F_DUPFD, 10),
                );
                if c < 0 || a < 0 || libc::dup2(c, 3) < 0 || libc::dup2(a, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("chromium starts");
        drop((command_read, answer_write));
        let (tx, answers) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(answer_read);
            let mut message = Vec::new();
            while reader.read_until(0, &mut message).is_ok_and(|n| n > 0) {
                message.pop();
                if let Ok(v) = serde_json::from_slice::<Value>(&message)
                    && tx.send(v).is_err()
                {
                    return;
                }
                message.clear();
            }
        });
        Some(Browser {
            child,
            commands: command_write,
            answers,
            next: 1,
            _profile: profile,
        })
    }

    /// Sends a command (to a tab's session, or to the browser) and waits for its answer.
    pub fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.commands
            .write_all(&bytes)
            .expect("chromium reads commands");
        loop {
            let answer = self
                .answers
                .recv_timeout(COMMAND_TIMEOUT)
                .unwrap_or_else(|_| panic!("chromium did not answer {method}"));
            if answer["id"] == json!(id) {
                assert!(answer.get("error").is_none(), "{method}: {answer}");
                return answer["result"].clone();
            }
        }
    }

    /// A browser context of its own (cookies, storage): another user.
    pub fn context(&mut self) -> String {
        let made = self.send(None, "Target.createBrowserContext", json!({}));
        made["browserContextId"].as_str().unwrap().to_string()
    }

    /// Opens `url` in a new tab (of `context`, or the default one) and waits for its load.
    pub fn open(&mut self, url: &str, context: Option<&str>) -> Tab {
        let mut params = json!({ "url": "about:blank" });
        if let Some(c) = context {
            params["browserContextId"] = json!(c);
        }
        let target = self.send(None, "Target.createTarget", params)["targetId"]
            .as_str()
            .unwrap()
            .to_string();
        let attached = self.send(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": true }),
        );
        let tab = Tab {
            session: attached["sessionId"].as_str().unwrap().to_string(),
            target,
        };
        self.goto(&tab, url);
        tab
    }

    /// Navigates `tab` to `url` and waits until its document has loaded.
    pub fn goto(&mut self, tab: &Tab, url: &str) {
        self.send(Some(&tab.session), "Page.navigate", json!({ "url": url }));
        let blank = url == "about:blank";
        let loaded = format!(
            "new Promise(function (ok) {{ (function wait() {{ if (document.readyState === 'complete' && ({blank} || location.href !== 'about:blank')) ok(true); else setTimeout(wait, 20); }})(); }})"
        );
        self.eval(tab, &loaded);
    }

    /// The value of `script` (an expression; a promise is awaited) in `tab`. A thrown
    /// error fails the test with its text.
    pub fn eval(&mut self, tab: &Tab, script: &str) -> Value {
        let params = json!({
            "expression": script, "awaitPromise": true, "returnByValue": true,
            "userGesture": true,
        });
        let done = self.send(Some(&tab.session), "Runtime.evaluate", params);
        if let Some(e) = done.get("exceptionDetails") {
            panic!("the script failed: {e}");
        }
        done["result"]["value"].clone()
    }

    /// Sets the tab's viewport width (a phone is 390 px wide).
    pub fn width(&mut self, tab: &Tab, width: u32, height: u32) {
        let params = json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 });
        self.send(
            Some(&tab.session),
            "Emulation.setDeviceMetricsOverride",
            params,
        );
    }

    /// Closes a tab.
    pub fn close(&mut self, tab: &Tab) {
        self.send(
            None,
            "Target.closeTarget",
            json!({ "targetId": tab.target }),
        );
    }
}
