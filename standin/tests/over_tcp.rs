//! Over a real socket, byte by byte, as curl talks to Django: `Expect: 100-continue`
//! before a body over 1 KiB, a second request on the same kept-alive connection, and a
//! fault that drops the connection unanswered.

use nowplaying_standin::{serve, Config, Standin};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// Far more than any answer here needs, far less than curl's own wait for a 100.
const PATIENCE: Duration = Duration::from_millis(900);

/// A stand-in on its own thread, as the binary runs it.
fn start() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            serve(listener, Arc::new(Standin::new(Config::default()))).await;
        });
    });
    address
}

fn connect(address: SocketAddr) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    BufReader::new(stream)
}

fn send(connection: &mut BufReader<TcpStream>, bytes: &str) {
    connection.get_mut().write_all(bytes.as_bytes()).unwrap();
}

/// Reads one response: its head (status line and headers) and its body.
fn read_response(connection: &mut BufReader<TcpStream>) -> (String, String) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        let read = connection.read_line(&mut line).unwrap();
        assert!(read > 0, "the connection closed after {head:?}");
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let length: usize = head
        .lines()
        .find_map(|l| {
            let l = l.to_ascii_lowercase();
            l.strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    connection.read_exact(&mut body).unwrap();
    (head, String::from_utf8(body).unwrap())
}

/// Sends `request` ("METHOD /path") with `body`, and reads the answer.
fn ask(
    connection: &mut BufReader<TcpStream>,
    address: SocketAddr,
    request: &str,
    body: &str,
) -> (String, String) {
    let length = body.len();
    send(
        connection,
        &format!("{request} HTTP/1.1\r\nHost: {address}\r\nContent-Length: {length}\r\n\r\n{body}"),
    );
    read_response(connection)
}

fn closes(head: &str) -> bool {
    head.to_ascii_lowercase().contains("connection: close")
}

fn assert_closed_without_a_byte(mut connection: BufReader<TcpStream>) {
    let mut rest = Vec::new();
    connection.read_to_end(&mut rest).unwrap();
    assert_eq!(String::from_utf8_lossy(&rest), "");
}

#[test]
fn answers_curl_like_django_with_expect_100_continue_and_keep_alive() {
    let address = start();
    let mut connection = connect(address);
    let body = format!(
        r#"{{"username":"alice","password":"alice-password","padding":"{}"}}"#,
        "x".repeat(2048)
    );
    send(
        &mut connection,
        &format!(
            "POST /auth/login/ HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
            body.len()
        ),
    );
    let (interim, _) = read_response(&mut connection);
    assert_eq!(interim, "HTTP/1.1 100 Continue\r\n");

    send(&mut connection, &body);
    let (head, login) = read_response(&mut connection);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(!closes(&head), "{head}");
    let login: serde_json::Value = serde_json::from_str(&login).unwrap();
    let access = login["access"].as_str().unwrap();

    send(
        &mut connection,
        &format!("GET /auth/current-user/ HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {access}\r\n\r\n"),
    );
    let (head, user) = read_response(&mut connection);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_eq!(
        user,
        r#"{"user_id":1,"username":"alice","email":"alice@example.com"}"#
    );
}

/// A browser resends a request whose kept-alive connection closes unanswered, so a drop
/// must land on a new connection: setting one closes idle connections, and until it is
/// used up no connection is kept alive.
#[test]
fn a_drop_fault_closes_a_new_connection_without_a_byte() {
    let address = start();
    let mut idle = connect(address);
    let (head, _) = ask(&mut idle, address, "GET /__standin/stats", "");
    assert!(!closes(&head), "{head}");

    let mut setter = connect(address);
    let fault = r#"{"path":"/trakt/auth-status/","kind":"drop","times":1}"#;
    let (head, _) = ask(&mut setter, address, "POST /__standin/fault", fault);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_closed_without_a_byte(idle);
    assert_closed_without_a_byte(setter);

    let (head, _) = ask(
        &mut connect(address),
        address,
        "GET /trakt/authenticate/",
        "",
    );
    assert!(closes(&head), "{head}");

    let mut dropped = connect(address);
    send(
        &mut dropped,
        &format!("GET /trakt/auth-status/ HTTP/1.1\r\nHost: {address}\r\n\r\n"),
    );
    assert_closed_without_a_byte(dropped);

    let (head, _) = ask(
        &mut connect(address),
        address,
        "GET /trakt/auth-status/",
        "",
    );
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
    assert!(!closes(&head), "{head}");
}
