//! `zhanqun server`, `server user add` and `server audit`.

use std::io::BufRead;
use std::sync::Arc;

use super::serve::Terminal;
use super::{CONTENT_ERROR, USAGE_ERROR};
use crate::cli::{AuditArgs, ServerArgs, ServerCommand, UserAddArgs, UserCommand};
use crate::server::{ServerOptions, store};

/// Runs the server, or one of its subcommands; the exit code.
pub fn run(args: &ServerArgs) -> u8 {
    match &args.command {
        Some(ServerCommand::User(UserCommand::Add(a))) => add_user(a),
        Some(ServerCommand::Audit(a)) => audit(a),
        None => serve(args),
    }
}

fn data_dir(root: &std::path::Path, data: &Option<std::path::PathBuf>) -> std::path::PathBuf {
    data.clone().unwrap_or_else(|| root.join(".zhanqun/server"))
}

#[allow(clippy::print_stderr)]
fn fail(message: crate::i18n::Message, code: u8) -> u8 {
    eprintln!("{}: {message}", crate::t!("label-error"));
    code
}

fn serve(args: &ServerArgs) -> u8 {
    let mut events = Terminal::new(args.verbose, false, Vec::new());
    events.command = "server";
    let opts = ServerOptions {
        root: args.root.clone(),
        listen: args.listen,
        preview_listen: args.preview_listen,
        data: data_dir(&args.root, &args.data),
        max_upload: args.max_upload.saturating_mul(1024 * 1024),
    };
    match crate::server::run(opts, Arc::new(events)) {
        Ok(()) => 0,
        Err(crate::serve::ServeError::Content(diags)) => {
            super::report(diags);
            CONTENT_ERROR
        }
        Err(e) => fail(crate::i18n::Message::from(e.to_string()), USAGE_ERROR),
    }
}

#[allow(clippy::print_stdout)]
fn add_user(a: &UserAddArgs) -> u8 {
    if !crate::server::valid_user_id(&a.id) {
        return fail(crate::t!("server-user-id", id = a.id.clone()), USAGE_ERROR);
    }
    if !a.password_stdin {
        return fail(crate::t!("server-user-stdin"), USAGE_ERROR);
    }
    let mut first = String::new();
    let _ = std::io::stdin().lock().read_line(&mut first);
    let password = first.trim_end_matches(['\n', '\r']);
    if let Some(why) = crate::server::password::refusal(password, 8) {
        return fail(why, USAGE_ERROR);
    }
    let store = match store::Store::open(&data_dir(&a.root, &a.data)) {
        Ok(s) => s,
        Err(e) => return fail(crate::t!("server-db", error = e.to_string()), USAGE_ERROR),
    };
    let Some(hash) = crate::server::password::hash(password) else {
        return fail(crate::t!("edit-no-randomness"), USAGE_ERROR);
    };
    let user = store::User {
        id: a.id.clone(),
        name: a.name.clone(),
        hash,
        must_change: !a.no_change,
        totp_secret: None,
        totp_off: a.no_totp,
        failures: 0,
        locked_until: 0,
    };
    match store.add_user(&user, chrono::Utc::now().timestamp()) {
        Ok(true) => {
            println!(
                "{}",
                crate::t!(
                    "server-user-added",
                    id = a.id.clone(),
                    name = a.name.clone()
                )
            );
            0
        }
        Ok(false) => fail(
            crate::t!("server-user-exists", id = a.id.clone()),
            USAGE_ERROR,
        ),
        Err(e) => fail(crate::t!("server-db", error = e.to_string()), USAGE_ERROR),
    }
}

#[allow(clippy::print_stdout)]
fn audit(a: &AuditArgs) -> u8 {
    let data = data_dir(&a.root, &a.data);
    if !data.join("server.db").is_file() {
        return fail(
            crate::t!("server-no-db", dir = data.display().to_string()),
            USAGE_ERROR,
        );
    }
    let store = match store::Store::open(&data) {
        Ok(s) => s,
        Err(e) => return fail(crate::t!("server-db", error = e.to_string()), USAGE_ERROR),
    };
    if a.verify {
        let key = match crate::server::audit::Key::open(&data) {
            Ok(k) => k,
            Err(e) => return fail(crate::t!("server-db", error = e.to_string()), USAGE_ERROR),
        };
        return match store.audit_break(&key) {
            None => {
                println!(
                    "{}",
                    crate::t!(
                        "server-audit-intact",
                        count = store.audit_rows("").len() as i64
                    )
                );
                0
            }
            Some(seq) => fail(crate::t!("server-audit-broken", seq = seq), CONTENT_ERROR),
        };
    }
    let since = a
        .since
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let csv = a.format == "csv";
    if csv {
        println!("time,user,address,action,target,result");
    }
    for (_, e, _) in store.audit_rows(&since) {
        let fields = [
            &e.time, &e.user, &e.address, &e.action, &e.target, &e.result,
        ];
        if csv {
            let row: Vec<String> = fields
                .iter()
                .map(|f| crate::server::audit::csv_field(f))
                .collect();
            println!("{}", row.join(","));
        } else {
            println!(
                "{}  {}  {}  {}  {}  {}",
                fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]
            );
        }
    }
    0
}
