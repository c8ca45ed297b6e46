//! `zhanqun server` by raw HTTP against the binary: a 通讯员 of one school reaches nothing
//! of another (403, nothing written, an audit entry), lock-out, sessions that end, a second
//! factor, writes from another origin refused, and an audit log that finds a hand edit.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::{Fixture, free_port};

/// A running server over a copy of the basic fixture, with roles and two accounts.
struct Server {
    f: Fixture,
    child: Child,
    port: u16,
    preview: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const ROLES: &str = "school:\n  writers: [zhang]\ndirect:\n  writers: [chen]\ncounty:\n  admins: [li, wu]\n  reviewers: [li]\n";

fn zhanqun(root: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhanqun"))
        .args(args)
        .current_dir(root)
        .env("ZHANQUN_LANG", "en")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

fn start(server_yaml: &str) -> Server {
    start_at(server_yaml, 0)
}

fn start_at(server_yaml: &str, port: u16) -> Server {
    let f = Fixture::new("basic");
    f.write("roles.yaml", ROLES);
    f.write(
        "cluster.yaml",
        &format!("base_url: https://edu.test.example\nserver:\n{server_yaml}"),
    );
    for (id, name, pw, extra) in [
        ("zhang", "张老师", "Zhang-2026", "--no-change"),
        ("chen", "陈老师", "Chen-2026x", "--no-change"),
        ("li", "李主任", "Li-Admin-26", "--no-change"),
        ("wu", "吴主任", "Wu-Admin-26", "--no-totp"),
    ] {
        let run = zhanqun(
            &f.root,
            &[
                "server",
                "user",
                "add",
                id,
                "--name",
                name,
                "--password-stdin",
                extra,
            ],
            &format!("{pw}\n"),
        );
        assert_eq!(run.0, 0, "{run:?}");
    }
    // Port 0 unless asked: the server says which ports the system gave it, so parallel
    // tests never race for one.
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhanqun"))
        .args([
            "server",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--preview-listen",
            "127.0.0.1:0",
        ])
        .current_dir(&f.root)
        .env("ZHANQUN_LANG", "en")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (port, preview) = announced(&mut child);
    Server {
        f,
        child,
        port,
        preview,
    }
}

/// The editor's and the previews' ports, from the server's announcement; the rest of its
/// output is read on (a closed pipe would end the server at its next line).
fn announced(child: &mut Child) -> (u16, u16) {
    use std::io::BufRead;
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let port_in = |line: &str| -> Option<u16> {
            let rest = line.split("http://127.0.0.1:").nth(1)?;
            rest.split('/').next()?.parse().ok()
        };
        let (mut editor, mut preview) = (None, None);
        for line in out.lines().map_while(Result::ok) {
            if line.contains("/_zhanqun/edit/") {
                editor = editor.or(port_in(&line));
            } else {
                preview = preview.or(port_in(&line));
            }
            if let (Some(e), Some(p)) = (editor, preview) {
                let _ = tx.send((e, p));
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the server did not start")
}

/// Status, head and body of one exchange.
fn exchange(port: u16, request: String) -> (u16, String, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

impl Server {
    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn get(&self, path: &str, cookie: Option<&str>) -> (u16, String, String) {
        let cookie = cookie
            .map(|c| format!("Cookie: zq_session={c}\r\n"))
            .unwrap_or_default();
        exchange(
            self.port,
            format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{cookie}Connection: close\r\n\r\n",
                self.port
            ),
        )
    }

    fn post(&self, path: &str, headers: &str, body: &str) -> (u16, String, String) {
        exchange(
            self.port,
            format!(
                "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                self.port,
                body.len()
            ),
        )
    }

    /// Logs in; the session cookie's value.
    fn login(&self, user: &str, password: &str, code: &str) -> Result<String, (u16, String)> {
        let body = format!("user={user}&password={password}&code={code}");
        let (status, head, text) = self.post(
            "/_zhanqun/login",
            &format!(
                "Origin: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n",
                self.origin()
            ),
            &body,
        );
        if status != 303 {
            return Err((status, text));
        }
        Ok(cookie_of(&head).expect("a session cookie"))
    }

    /// The editor's token of a session.
    fn token(&self, cookie: &str) -> String {
        let (_, _, page) = self.get("/_zhanqun/edit/", Some(cookie));
        let at = page
            .find("name=\"zhanqun-token\" content=\"")
            .expect("the token meta")
            + 30;
        page[at..at + 64].to_string()
    }

    /// An API call with the session's cookie and token from the public origin.
    fn call(
        &self,
        cookie: &str,
        token: &str,
        method: &str,
        call: &str,
        body: &str,
    ) -> (u16, String) {
        let path = format!("/_zhanqun/edit/api/{call}");
        let auth = format!(
            "Cookie: zq_session={cookie}\r\nX-Zhanqun-Token: {token}\r\nOrigin: {}\r\nContent-Type: application/json\r\n",
            self.origin()
        );
        let (status, _, text) = if method == "GET" {
            exchange(
                self.port,
                format!(
                    "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{auth}Connection: close\r\n\r\n",
                    self.port
                ),
            )
        } else {
            self.post(&path, &auth, body)
        };
        (status, text)
    }

    fn audit(&self) -> String {
        let run = zhanqun(&self.f.root, &["server", "audit", "--format", "csv"], "");
        assert_eq!(run.0, 0, "{run:?}");
        run.1
    }
}

fn cookie_of(head: &str) -> Option<String> {
    head.lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie: zq_session=")
                .then(|| {
                    l["set-cookie: zq_session=".len()..]
                        .split(';')
                        .next()
                        .unwrap_or("")
                        .to_string()
                })
        })
        .filter(|v| !v.is_empty())
}

#[test]
fn a_writer_of_one_school_reaches_nothing_of_another() {
    let s = start("  idle_minutes: 30\n");
    let cookie = s.login("zhang", "Zhang-2026", "").expect("logged in");
    let token = s.token(&cookie);
    let theirs = s.f.root.join("content/direct/pages/about.md");
    let before = std::fs::read(&theirs).unwrap();
    let load = s.call(
        &cookie,
        &token,
        "GET",
        "load?path=school/pages/about.md",
        "",
    );
    assert_eq!(load.0, 200, "{load:?}");
    let mine: serde_json::Value = serde_json::from_str(&load.1).unwrap();
    for (method, call, body) in [
        ("GET", "load?path=direct/pages/about.md", String::new()),
        ("GET", "git?site=direct", String::new()),
        ("POST", "save", serde_json::json!({"path": "direct/pages/about.md", "text": "---\ntitle: 改了\n---\n", "base": "x"}).to_string()),
        ("POST", "upload?page=direct/pages/about.md&name=x.png", "png".to_string()),
        ("POST", "delete", serde_json::json!({"path": "direct/pages/about.md"}).to_string()),
        ("POST", "rename", serde_json::json!({"path": "school/pages/about.md", "to": "direct/pages/x.md"}).to_string()),
        ("POST", "commit", serde_json::json!({"site": "direct", "message": "x"}).to_string()),
        ("POST", "new", serde_json::json!({"path": "county/news/x.md"}).to_string()),
    ] {
        let (status, text) = s.call(&cookie, &token, method, call, &body);
        assert_eq!(status, 403, "{call}: {text}");
    }
    assert_eq!(
        std::fs::read(&theirs).unwrap(),
        before,
        "nothing of the other school was written"
    );
    let text = format!("{}\n\n张老师加的段落。\n", mine["text"].as_str().unwrap());
    let save =
        serde_json::json!({"path": "school/pages/about.md", "text": text, "base": mine["version"]})
            .to_string();
    let (status, answer) = s.call(&cookie, &token, "POST", "save", &save);
    assert_eq!(status, 200, "{answer}");
    assert!(
        std::fs::read_to_string(s.f.root.join("content/school/pages/about.md"))
            .unwrap()
            .contains("张老师加的段落")
    );
    // The preview of the other school is refused on the previews' origin too.
    let preview = exchange(
        s.preview,
        format!(
            "GET /direct/ HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            s.preview
        ),
    );
    assert_eq!(
        preview.0, 303,
        "no preview without a preview session: {preview:?}"
    );
    let audit = s.audit();
    assert!(
        audit.starts_with("time,user,address,action,target,result\n"),
        "{audit}"
    );
    for line in [
        ",zhang,127.0.0.1,login,,ok",
        ",zhang,127.0.0.1,save,direct/pages/about.md,denied",
        ",zhang,127.0.0.1,save,school/pages/about.md,ok",
    ] {
        assert_eq!(audit.matches(line).count(), 1, "{line} once in:\n{audit}");
    }
    assert_eq!(audit.matches(",denied").count(), 8, "{audit}");
}

#[test]
fn without_a_session_nothing_is_shown_and_a_session_ends_at_logout() {
    let s = start("  idle_minutes: 30\n");
    let (status, head, _) = s.get("/_zhanqun/edit/", None);
    assert_eq!(status, 303, "{head}");
    assert!(head.contains("location: /_zhanqun/login"), "{head}");
    let api = s.get("/_zhanqun/edit/api/tree", None);
    assert_eq!(api.0, 401);
    // A session id the client makes up is never taken (session fixation): login sets a new one.
    let forged = "a".repeat(64);
    assert_eq!(s.get("/_zhanqun/edit/", Some(&forged)).0, 303);
    let cookie = s.login("zhang", "Zhang-2026", "").unwrap();
    assert_ne!(cookie, forged);
    let token = s.token(&cookie);
    assert_eq!(s.call(&cookie, &token, "GET", "tree", "").0, 200);
    // Another origin's page cannot write, nor log in.
    let save =
        serde_json::json!({"path": "school/pages/about.md", "text": "x", "base": "x"}).to_string();
    let foreign = s.post(
        "/_zhanqun/edit/api/save",
        &format!("Cookie: zq_session={cookie}\r\nX-Zhanqun-Token: {token}\r\nOrigin: http://evil.example\r\n"),
        &save,
    );
    assert_eq!(foreign.0, 403, "{foreign:?}");
    let wrong_token = s.call(&cookie, &"0".repeat(64), "POST", "save", &save);
    assert_eq!(wrong_token.0, 403);
    let login = s.post(
        "/_zhanqun/login",
        "Origin: http://evil.example\r\n",
        "user=zhang&password=Zhang-2026",
    );
    assert_eq!(login.0, 403);
    let out = s.post(
        "/_zhanqun/logout",
        &format!("Cookie: zq_session={cookie}\r\nOrigin: {}\r\n", s.origin()),
        "",
    );
    assert_eq!(out.0, 303);
    assert_eq!(
        s.call(&cookie, &token, "GET", "tree", "").0,
        401,
        "the old cookie is refused after logout"
    );
    assert!(s.audit().contains(",zhang,127.0.0.1,logout,,ok"));
}

#[test]
fn five_failures_lock_the_account() {
    let s = start("  idle_minutes: 30\n");
    for n in 1..=4 {
        assert_eq!(
            s.login("chen", "wrong", "").unwrap_err().0,
            401,
            "failure {n}"
        );
    }
    let locked = s.login("chen", "wrong", "").unwrap_err();
    assert_eq!(locked.0, 423, "{locked:?}");
    assert!(locked.1.contains("locked"), "{}", locked.1);
    assert_eq!(
        s.login("chen", "Chen-2026x", "").unwrap_err().0,
        423,
        "the right password waits too"
    );
    assert!(
        s.login("zhang", "Zhang-2026", "").is_ok(),
        "other accounts are not locked"
    );
    let audit = s.audit();
    assert_eq!(
        audit.matches(",chen,127.0.0.1,lockout,,locked").count(),
        1,
        "{audit}"
    );
    assert_eq!(s.login("nobody", "x", "").unwrap_err().0, 401);
}

#[test]
fn a_session_past_its_idle_time_is_refused() {
    let s = start("  idle_minutes: 0\n");
    let cookie = s.login("zhang", "Zhang-2026", "").unwrap();
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(
        s.get("/_zhanqun/edit/", Some(&cookie)).0,
        303,
        "back to the login"
    );
}

#[test]
fn an_admin_enrols_a_second_factor_and_logs_in_with_it() {
    let s = start("  idle_minutes: 30\n");
    let cookie = s.login("li", "Li-Admin-26", "").unwrap();
    // Before anything else: the enrolment.
    let (status, head, _) = s.get("/_zhanqun/edit/", Some(&cookie));
    assert!(
        status == 303 && head.contains("location: /_zhanqun/account"),
        "{head}"
    );
    let (_, _, page) = s.get("/_zhanqun/account", Some(&cookie));
    let at = page.find("<code>").unwrap() + 6;
    let secret = page[at..].split('<').next().unwrap().to_string();
    let now = chrono::Utc::now().timestamp();
    let code = zhanqun::server::totp::code_at(&secret, now).unwrap();
    let form = |c: &str| {
        format!(
            "Cookie: zq_session={c}\r\nOrigin: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n",
            s.origin()
        )
    };
    let (status, _, codes) = s.post("/_zhanqun/account", &form(&cookie), &format!("code={code}"));
    assert_eq!(status, 200, "{codes}");
    assert_eq!(codes.matches("<li><code>").count(), 10, "{codes}");
    assert_eq!(s.get("/_zhanqun/edit/", Some(&cookie)).0, 200);
    // Next time the code is asked for; a recovery code works once.
    assert_eq!(s.login("li", "Li-Admin-26", "").unwrap_err().0, 401);
    let code = zhanqun::server::totp::code_at(&secret, chrono::Utc::now().timestamp()).unwrap();
    assert!(s.login("li", "Li-Admin-26", &code).is_ok());
    let at = codes.find("<li><code>").unwrap() + 10;
    let recovery = &codes[at..at + 10];
    assert!(s.login("li", "Li-Admin-26", recovery).is_ok());
    assert!(
        s.login("li", "Li-Admin-26", recovery).is_err(),
        "a recovery code works once"
    );
}

#[test]
fn the_audit_log_finds_a_hand_edit() {
    let s = start("  idle_minutes: 30\n");
    let _ = s.login("zhang", "Zhang-2026", "");
    let _ = s.login("chen", "wrong", "");
    let verify = zhanqun(&s.f.root, &["server", "audit", "--verify"], "");
    assert_eq!(verify.0, 0, "{verify:?}");
    let db = rusqlite::Connection::open(s.f.root.join(".zhanqun/server/server.db")).unwrap();
    let refused = db.execute("UPDATE audit SET result = 'ok' WHERE result = 'failed'", []);
    assert!(refused.is_err(), "the log is append-only");
    db.execute_batch(
        "DROP TRIGGER audit_no_update; UPDATE audit SET result = 'ok' WHERE result = 'failed';",
    )
    .unwrap();
    let verify = zhanqun(&s.f.root, &["server", "audit", "--verify"], "");
    assert_eq!(verify.0, 1, "{verify:?}");
    assert!(verify.2.contains("entry 2"), "{verify:?}");
}

/// Debian's nginx in front of the server, as docs/server.md sets it up: `/` for logins with
/// a password, `/sso/` where the city's 统一身份认证 (here: nginx itself) names the user.
struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// nginx on the port `held` holds until then (so that no other test takes it meanwhile).
fn nginx(server_port: u16, held: std::net::TcpListener) -> Option<Nginx> {
    let port = held.local_addr().unwrap().port();
    let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(binary) = binary else {
        assert!(std::env::var_os("CI").is_none(), "CI installs nginx");
        eprintln!("nginx is not installed: the proxy test is skipped");
        return None;
    };
    let dir = crate::helpers::tempdir();
    let d = dir.path().display();
    let proxy = format!(
        "proxy_pass http://127.0.0.1:{server_port}; proxy_set_header Host $http_host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme;"
    );
    let conf = format!(
        "daemon off; master_process off; worker_processes 1; pid {d}/nginx.pid; error_log {d}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{ access_log off; client_body_temp_path {d}/b; proxy_temp_path {d}/p; fastcgi_temp_path {d}/f; uwsgi_temp_path {d}/u; scgi_temp_path {d}/s; client_max_body_size 25m;\n\
           server {{ listen 127.0.0.1:{port};\n\
             location / {{ {proxy} proxy_set_header X-Remote-User \"\"; }}\n\
             location /sso/ {{ rewrite ^/sso(/.*)$ $1 break; {proxy} proxy_set_header X-Remote-User chen; }}\n\
           }}\n\
         }}\n"
    );
    std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
    drop(held);
    let mut child = Command::new(binary)
        .args(["-p", &d.to_string(), "-c", &format!("{d}/nginx.conf")])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            // Something answers: nginx, unless it could not bind and another program did.
            std::thread::sleep(Duration::from_millis(200));
            assert!(
                child.try_wait().unwrap().is_none(),
                "nginx exited: port {port} was taken"
            );
            return Some(Nginx {
                child,
                port,
                _dir: dir,
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("nginx did not start");
}

/// One exchange from the source address `from` (another loopback address than the proxy's).
fn exchange_from(from: &str, port: u16, request: &str) -> (u16, String, String) {
    let script = "import socket,sys\ns=socket.socket()\ns.bind((sys.argv[1],0))\ns.connect(('127.0.0.1',int(sys.argv[2])))\ns.sendall(sys.stdin.buffer.read())\nb=b''\nwhile True:\n  c=s.recv(65536)\n  if not c: break\n  b+=c\nsys.stdout.buffer.write(b)\n";
    let mut child = Command::new("python3")
        .args(["-c", script, from, &port.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

#[test]
fn behind_nginx_the_client_address_is_logged_and_only_the_proxy_names_users() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let (server_port, proxy_port) = (free_port(), held.local_addr().unwrap().port());
    let settings = format!(
        "  public_url: http://127.0.0.1:{proxy_port}\n  trusted_proxies: [127.0.0.1]\n  remote_user_header: X-Remote-User\n"
    );
    let s = start_at(&settings, server_port);
    let Some(proxy) = nginx(server_port, held) else {
        return;
    };
    let host = format!("Host: 127.0.0.1:{}\r\n", proxy.port);
    let origin = format!("Origin: http://127.0.0.1:{}\r\n", proxy.port);
    // A password login through the proxy, the client's own address claiming to be another.
    let body = "user=zhang&password=Zhang-2026";
    let login = format!(
        "POST /_zhanqun/login HTTP/1.1\r\n{host}{origin}X-Forwarded-For: 203.0.113.9\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (status, head, _) = exchange_from("127.0.0.2", proxy.port, &login);
    assert_eq!(status, 303, "{head}");
    // The proxy names the user on /sso/; the editor opens for her.
    let sso = format!("GET /sso/_zhanqun/edit/ HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
    let (status, _, page) = exchange_from("127.0.0.2", proxy.port, &sso);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("zhanqun-token"), "{page}");
    // The same header sent by the client is overwritten by the proxy, and sent straight to
    // the server from an address that is not a trusted proxy it is ignored.
    let forged = format!(
        "GET /_zhanqun/edit/ HTTP/1.1\r\n{host}X-Remote-User: chen\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(exchange_from("127.0.0.2", proxy.port, &forged).0, 303);
    assert_eq!(exchange_from("127.0.0.2", server_port, &forged).0, 303);
    let audit = s.audit();
    assert!(audit.contains(",zhang,127.0.0.2,login,,ok"), "{audit}");
    assert!(audit.contains(",chen,127.0.0.2,login,proxy,ok"), "{audit}");
    assert!(!audit.contains("203.0.113.9"), "{audit}");
}

#[test]
fn a_county_admin_adds_a_teacher_to_her_school_and_resets_passwords_of_her_subtree_only() {
    let s = start("  idle_minutes: 30\n");
    git(&s.f.root, &["init", "-q"]);
    git(&s.f.root, &["add", "-A"]);
    git(
        &s.f.root,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-q",
            "-m",
            "站群",
        ],
    );
    // wu's first password is hers to change; then the admin page.
    let cookie = s.login("wu", "Wu-Admin-26", "").unwrap();
    let form = |c: &str| {
        format!(
            "Cookie: zq_session={c}\r\nOrigin: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n",
            s.origin()
        )
    };
    let (_, _, _) = s.post(
        "/_zhanqun/account",
        &form(&cookie),
        "old=Wu-Admin-26&new=Wu-Admin-2027&again=Wu-Admin-2027",
    );
    let (status, _, page) = s.get("/_zhanqun/admin", Some(&cookie));
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("zhang") && !page.contains("chen"),
        "her subtree's people only: {page}"
    );
    let (_, _, added) = s.post(
        "/_zhanqun/admin",
        &form(&cookie),
        "action=add&user=wang&name=%E7%8E%8B%E8%80%81%E5%B8%88&site=school&role=writers",
    );
    let at = added
        .find("password: ")
        .expect("the first password is shown")
        + 10;
    let first = added[at..].split(' ').next().unwrap().to_string();
    let roles = std::fs::read_to_string(s.f.root.join("roles.yaml")).unwrap();
    assert!(roles.contains("writers: [zhang, wang]"), "{roles}");
    let log = std::process::Command::new("git")
        .args([
            "-C",
            s.f.root.to_str().unwrap(),
            "log",
            "-1",
            "--format=%an|%B",
        ])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&log.stdout);
    assert!(
        log.starts_with("吴主任|") && log.contains("Zhanqun-Audit: "),
        "{log}"
    );
    // The new teacher logs in and must change her password first.
    let wang = s.login("wang", &first, "").unwrap();
    let (_, head, _) = s.get("/_zhanqun/edit/", Some(&wang));
    assert!(head.contains("location: /_zhanqun/account"), "{head}");
    // Outside her subtree nothing is done.
    let (_, _, denied) = s.post(
        "/_zhanqun/admin",
        &form(&cookie),
        "action=add&user=x1&name=x&site=direct&role=writers",
    );
    assert!(denied.contains("no role"), "{denied}");
    assert!(s.login("x1", "anything", "").is_err());
    let (_, _, refused) = s.post("/_zhanqun/admin", &form(&cookie), "action=reset&user=chen");
    assert!(refused.contains("cannot reset"), "{refused}");
    assert!(
        s.login("chen", "Chen-2026x", "").is_ok(),
        "chen's password is unchanged"
    );
    let (_, _, reset) = s.post("/_zhanqun/admin", &form(&cookie), "action=reset&user=zhang");
    assert!(reset.contains("New first password"), "{reset}");
    assert!(
        s.login("zhang", "Zhang-2026", "").is_err(),
        "the old password no longer works"
    );
    // A writer has no admin page.
    let zhang_like = s.login("chen", "Chen-2026x", "").unwrap();
    assert_eq!(s.get("/_zhanqun/admin", Some(&zhang_like)).0, 403);
    let audit = s.audit();
    for line in [
        ",wu,127.0.0.1,account-add,wang,ok",
        ",wu,127.0.0.1,role-add,direct:x1,denied",
        ",wu,127.0.0.1,password-reset,chen,denied",
        ",wu,127.0.0.1,password-reset,zhang,ok",
    ] {
        assert!(audit.contains(line), "{line}\n{audit}");
    }
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// In Chromium as a teacher: log in on the form, open her page in the editor, its preview
/// shows with the theme's styles (fetched from the previews' origin through a ticket); as an
/// attacker: a script on the previews' origin reads nothing of the editor's origin.
#[test]
fn in_chromium_a_teacher_logs_in_and_sees_her_preview_and_content_reads_nothing_of_the_editor() {
    if crate::helpers::chromium().is_none() {
        return;
    }
    let s = start("  idle_minutes: 30\n");
    let mut browser = crate::cdp::Browser::launch().expect("chromium");
    let tab = browser.open(&format!("{}/_zhanqun/login", s.origin()), None);
    browser.eval(&tab, "document.getElementById('user').value = 'zhang'; document.getElementById('password').value = 'Zhang-2026'; document.querySelector('form').submit(); true");
    let mut at = serde_json::Value::Null;
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(100));
        at = browser.eval(
            &tab,
            "document.readyState === 'complete' ? location.pathname : ''",
        );
        if at == "/_zhanqun/edit/" {
            break;
        }
    }
    assert_eq!(
        at,
        "/_zhanqun/edit/",
        "logged in through the form: {} {}",
        browser.eval(&tab, "document.body.innerText"),
        s.audit()
    );
    browser.goto(
        &tab,
        &format!("{}/_zhanqun/edit/?page=school/pages/about.md", s.origin()),
    );
    let styled = browser.eval(
        &tab,
        r#"(async function () {
          for (var i = 0; i < 400; i++) {
            var f = document.getElementById("frame"), d = f && f.contentDocument;
            var links = d ? Array.prototype.slice.call(d.querySelectorAll('link[rel="stylesheet"]')) : [];
            if (links.length && links.every(function (l) { return l.sheet; })) return [links.length, d.title];
            await new Promise(function (r) { setTimeout(r, 50); });
          }
          return [location.href + " " + document.title + " " + document.body.innerHTML.slice(0, 300), "no styles"];
        })()"#,
    );
    assert!(
        styled[0].as_u64().unwrap_or(0) > 0 && styled[1] != "no styles",
        "{styled}"
    );
    // The school's pages on the previews' origin: a script there cannot read the editor.
    browser.goto(&tab, &format!("http://127.0.0.1:{}/school/", s.preview));
    let here = browser.eval(&tab, "location.href");
    assert_eq!(
        here,
        format!("http://127.0.0.1:{}/school/", s.preview),
        "the preview opened through its ticket"
    );
    let read = browser.eval(
        &tab,
        &format!(
            r#"(async function () {{
              try {{ var r = await fetch("{}/_zhanqun/edit/", {{ credentials: "include" }}); return "read: " + (await r.text()).slice(0, 80); }}
              catch (e) {{ return "refused"; }}
            }})()"#,
            s.origin()
        ),
    );
    assert_eq!(read, "refused", "{read}");
    browser.close(&tab);
}
