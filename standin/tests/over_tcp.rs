//! Over a real socket, byte by byte, as curl talks to Django: `Expect: 100-continue`
//! before a body over 1 KiB, a second request on the same kept-alive connection, and a
//! fault that drops the connection unanswered.

use nowplaying_standin::{serve, Config, Standin};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Far more than any answer here needs, far less than curl's own wait for a 100.
const PATIENCE: Duration = Duration::from_millis(900);

async fn start() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let standin = Arc::new(Standin::new(Config::default()));
    tokio::spawn(serve(listener, standin));
    address
}

/// Reads one response: its head (status line and headers) and its body.
async fn read_response(reader: &mut BufReader<TcpStream>) -> (String, String) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        let read = timeout(PATIENCE, reader.read_line(&mut line))
            .await
            .unwrap()
            .unwrap();
        assert!(read > 0, "the connection closed after {head:?}");
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    timeout(PATIENCE, reader.read_exact(&mut body))
        .await
        .unwrap()
        .unwrap();
    (head, String::from_utf8(body).unwrap())
}

#[tokio::test]
async fn answers_curl_like_django_with_expect_100_continue_and_keep_alive() {
    let address = start().await;
    let mut connection = BufReader::new(TcpStream::connect(address).await.unwrap());
    let body = format!(
        r#"{{"username":"alice","password":"alice-password","padding":"{}"}}"#,
        "x".repeat(2048)
    );
    let head = format!(
        "POST /auth/login/ HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    );
    connection
        .get_mut()
        .write_all(head.as_bytes())
        .await
        .unwrap();
    let (interim, _) = read_response(&mut connection).await;
    assert_eq!(interim, "HTTP/1.1 100 Continue\r\n");

    connection
        .get_mut()
        .write_all(body.as_bytes())
        .await
        .unwrap();
    let (head, login) = read_response(&mut connection).await;
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(
        !head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );
    let login: serde_json::Value = serde_json::from_str(&login).unwrap();
    let access = login["access"].as_str().unwrap();

    let again = format!(
        "GET /auth/current-user/ HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {access}\r\n\r\n"
    );
    connection
        .get_mut()
        .write_all(again.as_bytes())
        .await
        .unwrap();
    let (head, user) = read_response(&mut connection).await;
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_eq!(
        user,
        r#"{"user_id":1,"username":"alice","email":"alice@example.com"}"#
    );
}

/// A browser resends a request whose kept-alive connection closes unanswered, so a drop
/// must land on a new connection: setting one closes idle connections, and until it is
/// used up no connection is kept alive.
#[tokio::test]
async fn a_drop_fault_closes_a_new_connection_without_a_byte() {
    let address = start().await;
    let mut idle = connect(address).await;
    let (head, _) = ask(&mut idle, address, "GET /__standin/stats", "").await;
    assert!(
        !head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );

    let mut setter = connect(address).await;
    let fault = r#"{"path":"/trakt/auth-status/","kind":"drop","times":1}"#;
    let (head, _) = ask(&mut setter, address, "POST /__standin/fault", fault).await;
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_closed_without_a_byte(idle).await;
    assert_closed_without_a_byte(setter).await;

    let mut other = connect(address).await;
    let (head, _) = ask(&mut other, address, "GET /trakt/authenticate/", "").await;
    assert!(
        head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );

    let mut dropped = connect(address).await;
    let request = format!("GET /trakt/auth-status/ HTTP/1.1\r\nHost: {address}\r\n\r\n");
    dropped
        .get_mut()
        .write_all(request.as_bytes())
        .await
        .unwrap();
    assert_closed_without_a_byte(dropped).await;

    let mut after = connect(address).await;
    let (head, _) = ask(&mut after, address, "GET /trakt/auth-status/", "").await;
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
    assert!(
        !head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );
}

async fn connect(address: SocketAddr) -> BufReader<TcpStream> {
    BufReader::new(TcpStream::connect(address).await.unwrap())
}

/// Sends `request` ("METHOD /path") with `body`, and reads the answer.
async fn ask(
    connection: &mut BufReader<TcpStream>,
    address: SocketAddr,
    request: &str,
    body: &str,
) -> (String, String) {
    let message = format!(
        "{request} HTTP/1.1\r\nHost: {address}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    connection
        .get_mut()
        .write_all(message.as_bytes())
        .await
        .unwrap();
    read_response(connection).await
}

async fn assert_closed_without_a_byte(mut connection: BufReader<TcpStream>) {
    let mut rest = Vec::new();
    timeout(PATIENCE, connection.read_to_end(&mut rest))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&rest), "");
}
