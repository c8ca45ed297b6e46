//! Local passwords: argon2id hashes (never the password itself, never in a log) and the
//! rules a new password must meet.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// The argon2id hash of `password` in PHC form (`$argon2id$v=19$…`).
pub fn hash(password: &str) -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    let salt = SaltString::encode_b64(&bytes).ok()?;
    let hashed = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .ok()?;
    Some(hashed.to_string())
}

/// True when `password` matches the PHC `hash`.
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Why `password` may not be used, as a message for its user; `None` when it may.
pub fn refusal(password: &str, min_length: usize) -> Option<crate::i18n::Message> {
    if password.chars().count() < min_length {
        return Some(crate::t!("server-password-short", min = min_length as i64));
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|&&c| c).count() < 3 {
        return Some(crate::t!("server-password-classes"));
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = super::hash("Zhang-2026").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(super::verify("Zhang-2026", &h));
        assert!(!super::verify("zhang-2026", &h));
        assert!(!super::verify("Zhang-2026", "not a hash"));
    }

    #[test]
    fn rules_need_length_and_three_classes() {
        assert!(super::refusal("Ab1!", 8).is_some());
        assert!(super::refusal("abcdefgh", 8).is_some());
        assert!(super::refusal("abcdefg1", 8).is_some());
        assert!(super::refusal("abcdEfg1", 8).is_none());
        assert!(
            super::refusal("张老师的密码2026!", 8).is_some(),
            "digits and other characters only"
        );
        assert!(super::refusal("张老师的Mima2026", 8).is_none());
    }
}
