//! Second factor: time-based one-time passwords (RFC 6238, HMAC-SHA1, 30 s, 6 digits), as
//! every authenticator app (微信小程序, 阿里云 App, Google/Microsoft Authenticator) reads
//! them, and recovery codes for a lost phone.

use hmac::{Hmac, Mac};

const STEP: i64 = 30;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A new secret of 20 random bytes, in base32 (what the user types into her app).
pub fn new_secret() -> Option<String> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).ok()?;
    Some(encode(&bytes))
}

/// True when `code` is the code of `secret` at `unix` seconds, one step early or late
/// allowed for a phone's clock.
pub fn verify(secret: &str, code: &str, unix: i64) -> bool {
    let code = code.trim();
    let Some(key) = decode(secret) else {
        return false;
    };
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()))
        && (-1..=1).any(|d| hotp(&key, (unix / STEP + d) as u64) == code)
}

/// The code of `secret` at `unix` seconds.
pub fn code_at(secret: &str, unix: i64) -> Option<String> {
    Some(hotp(&decode(secret)?, (unix / STEP) as u64))
}

/// The `otpauth://` address an app can take the secret from.
pub fn uri(secret: &str, user: &str, issuer: &str) -> String {
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}",
        enc(issuer),
        enc(user),
        enc(issuer)
    )
}

fn hotp(key: &[u8], counter: u64) -> String {
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", value % 1_000_000)
}

fn encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| *c != b'=' && *c != b' ') {
        let v = BASE32.iter().position(|&x| x == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// Ten recovery codes of ten characters, each good for one login.
pub fn recovery_codes() -> Option<Vec<String>> {
    (0..10)
        .map(|_| {
            let mut bytes = [0u8; 6];
            getrandom::fill(&mut bytes).ok()?;
            Some(encode(&bytes)[..10].to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    /// RFC 6238's SHA-1 test vectors (the key `12345678901234567890`), last six digits.
    #[test]
    fn the_rfc_vectors() {
        let secret = super::encode(b"12345678901234567890");
        for (t, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1234567890, "005924"),
            (2000000000, "279037"),
        ] {
            assert_eq!(super::code_at(&secret, t).unwrap(), code, "{t}");
            assert!(super::verify(&secret, code, t + 30));
        }
        assert!(!super::verify(&secret, "287082", 59 + 95));
    }

    #[test]
    fn base32_round_trips() {
        let s = super::new_secret().unwrap();
        assert_eq!(s.len(), 32);
        assert_eq!(super::encode(&super::decode(&s).unwrap()), s);
    }
}
