//! Record Ids: each object's key prefix, a sequence number, the case-safe suffix.

use sforce::Id;

/// Base-62 digits in the order Salesforce Ids use them.
const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The pod characters after the key prefix: every Id this org makes has them
/// (`001Lo0000…`), as every Id of one real org shares its instance characters.
const POD: &str = "Lo0";

/// The 18-character Id of record number `n` (from 1) of the object with `prefix`.
pub(crate) fn make(prefix: &str, n: u64) -> Id {
    let mut digits = [b'0'; 9];
    let mut rest = n;
    for slot in digits.iter_mut().rev() {
        *slot = DIGITS[(rest % 62) as usize];
        rest /= 62;
    }
    let head = format!("{prefix}{POD}{}", String::from_utf8_lossy(&digits));
    // Three-character prefix, three pod characters and nine base-62 digits: 15 valid
    // characters, so `Id::new` cannot refuse it; it adds the suffix.
    Id::new(&head).unwrap_or_else(|_| unreachable!("a made Id is 15 alphanumerics: {head}"))
}

/// The key prefix of the `index`-th custom object without one (`a0x`, `a0y`, `a0z`,
/// `a10`, …), as Salesforce hands them out.
pub(crate) fn custom_prefix(index: usize) -> String {
    let n = 33 + index; // `a0x` is a, then 0 and x = 33 in base 36 (0-9a-z)
    let digit = |d: usize| char::from(b"0123456789abcdefghijklmnopqrstuvwxyz"[d % 36]);
    format!("a{}{}", digit(n / 36), digit(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_ids_have_the_prefix_and_a_valid_suffix() {
        let id = make("001", 1);
        assert_eq!(id.as_str().len(), 18);
        assert_eq!(id.key_prefix(), "001");
        assert_eq!(id.to_15(), "001Lo0000000001");
        // The suffix is the one Salesforce computes: Id::new checks it.
        assert_eq!(Id::new(id.as_str()).unwrap(), id);
        assert_ne!(make("001", 62).to_15(), make("001", 61).to_15());
        assert_eq!(make("003", 62).to_15(), "003Lo0000000010");
    }

    #[test]
    fn custom_prefixes_start_at_a0x() {
        let prefixes: Vec<String> = (0..4).map(custom_prefix).collect();
        assert_eq!(prefixes, ["a0x", "a0y", "a0z", "a10"]);
    }
}
