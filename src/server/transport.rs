//! The network side of `zhanqun server` on hyper 1: a bounded number of connections, a
//! deadline for the request head (slow clients), a size limit and a deadline for bodies, and
//! the request handed to [`super::app::App::answer`] on a blocking thread (SQLite, argon2
//! and the editor are blocking work).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Semaphore;

use super::app::{App, Head, Side};
use crate::serve::http::{Body, Reply};

/// Connections open at once on one listener; more wait in the kernel's queue.
const MAX_CONNECTIONS: usize = 1024;
/// How long a client may take to send a request's head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request head.
const MAX_HEAD: usize = 64 * 1024;

/// Accepts connections on `listener` for ever, answering them for `side`.
pub async fn serve(listener: tokio::net::TcpListener, app: Arc<App>, side: Side) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                // Out of descriptors: wait rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let app = app.clone();
                async move { Ok::<_, Infallible>(handle(app, req, peer, side).await) }
            });
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

async fn handle(
    app: Arc<App>,
    req: Request<Incoming>,
    peer: SocketAddr,
    side: Side,
) -> Response<Full<Bytes>> {
    let head = Head::of(&req, peer);
    let limit = app.body_limit(&head);
    let length = req
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .unwrap_or(0);
    if length > limit {
        return respond(
            crate::serve::http::text(413, "the request is too large"),
            false,
        );
    }
    let deadline = crate::serve::server::body_deadline(length);
    let body = match tokio::time::timeout(
        deadline,
        Limited::new(req.into_body(), limit as usize).collect(),
    )
    .await
    {
        Ok(Ok(collected)) => collected.to_bytes().to_vec(),
        Ok(Err(_)) => {
            return respond(
                crate::serve::http::text(413, "the request is too large"),
                false,
            );
        }
        Err(_) => {
            return respond(
                crate::serve::http::text(408, "the request took too long"),
                false,
            );
        }
    };
    let head_only = head.method == "HEAD";
    let reply = tokio::task::spawn_blocking(move || app.answer(side, head, body))
        .await
        .unwrap_or_else(|_| crate::serve::http::text(500, "internal error"));
    respond(reply, head_only)
}

/// The reply as a hyper response; a file body read from disk.
fn respond(reply: Reply, head_only: bool) -> Response<Full<Bytes>> {
    let bytes = match reply.body {
        Body::Bytes(b) => b,
        Body::File(path, _) => std::fs::read(path).unwrap_or_default(),
    };
    let length = bytes.len();
    let mut response = Response::new(Full::new(if head_only {
        Bytes::new()
    } else {
        Bytes::from(bytes)
    }));
    *response.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        if let Ok(v) = hyper::header::HeaderValue::from_str(&value) {
            headers.append(name, v);
        }
    }
    if head_only {
        headers.insert(hyper::header::CONTENT_LENGTH, length.into());
    }
    response
}
