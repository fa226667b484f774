use super::*;

fn pending(t0: Timestamp) -> crate::grants::CustomerAuthorization {
    use crate::grants::{AuthStatus, Capabilities, CustomerAuthorization};
    use crate::ids::{CustomerId, PartnerId};
    CustomerAuthorization {
        id: AuthorizationId::from_bytes(&[1; 12]),
        partner_id: PartnerId::from_bytes(&[2; 16]),
        customer_id: CustomerId::from_bytes(&[3; 16]),
        capabilities: Capabilities::all(),
        requested_by: None,
        requested_at: t0,
        valid_days: 10,
        status: AuthStatus::Pending,
        decided_at: None,
        expires_at: None,
        revoked_at: None,
        reason: None,
    }
}

#[test]
fn code_checks() {
    let id = AuthorizationId::from_bytes(&[9; 12]);
    let (code, hash) = new_code([1, 2, 3, 4], &id);
    assert_eq!(code.len(), 6);
    assert!(code_matches(&hash, &id, &code));
    let other = if code == "000000" { "000001" } else { "000000" };
    assert!(!code_matches(&hash, &id, other));
    // A code is bound to its authorization.
    assert!(!code_matches(&hash, &AuthorizationId::from_bytes(&[8; 12]), &code));
}

#[test]
fn why_a_guess_cannot_be_claimed() {
    let t0 = Timestamp::from_unix(1_800_000_000);
    let auth = pending(t0);
    let st = CodeState::fresh(String::new(), t0, 1);
    assert!(may_guess(&auth, &st, t0).is_ok());
    assert_eq!(may_guess(&auth, &st, t0.plus(CODE_TTL)).unwrap_err().code, Code::VerificationCodeExpired);
    let locked = CodeState { attempts: MAX_CODE_ATTEMPTS, guesses: MAX_CODE_ATTEMPTS, ..st.clone() };
    let e = may_guess(&auth, &locked, t0.plus(10)).unwrap_err();
    assert_eq!(e.code, Code::VerificationCodeLocked);
    assert_eq!(e.data.unwrap()["retry_after"], 50, "a new code may be sent a minute after this one");
    let spent = CodeState { attempts: MAX_CODE_ATTEMPTS, codes_sent: MAX_CODES, ..st.clone() };
    assert_eq!(may_guess(&auth, &spent, t0).unwrap_err().code, Code::ConsentLocked);
    let exhausted = CodeState { guesses: MAX_GUESSES, ..st.clone() };
    assert_eq!(may_guess(&auth, &exhausted, t0).unwrap_err().code, Code::ConsentLocked);
    let closed = crate::grants::CustomerAuthorization { status: crate::grants::AuthStatus::Locked, ..auth };
    assert_eq!(may_guess(&closed, &st, t0).unwrap_err().code, Code::ConsentLocked);
}

#[test]
fn a_wrong_code_says_what_is_left() {
    let t0 = Timestamp::from_unix(1_800_000_000);
    let after = CodeState { attempts: 2, guesses: 7, ..CodeState::fresh(String::new(), t0, 2) };
    let e = wrong_code_error(&after, 7);
    assert_eq!((e.code, e.data.unwrap()["attempts_left"].as_i64()), (Code::VerificationCodeInvalid, Some(3)));
    let last = CodeState { attempts: 3, guesses: 10, ..after.clone() };
    assert_eq!(wrong_code_error(&last, 9).code, Code::VerificationCodeLocked);
    assert_eq!(wrong_code_error(&last, 10).code, Code::ConsentLocked);
}

/// The bound README states: at most 10 guesses evaluated per request, so at most 10 chances in a
/// million against a uniformly drawn 6-digit code (0.001 %, under the 0.01 % target).
#[test]
fn the_guessing_bound_per_request() {
    let per_request = MAX_GUESSES as f64 / 1_000_000.0;
    assert!(per_request <= 0.0001);
}

// The request bound, not the per-code one, is what binds (checked when the crate compiles).
const _: () = assert!(MAX_CODE_ATTEMPTS * MAX_CODES >= MAX_GUESSES);

#[test]
fn tokens() {
    let t = new_token(&[0xfe; 32]);
    assert!(is_token(&t));
    assert!(!is_token(&t[..t.len() - 1]));
    assert_ne!(token_hash(&t), t);
    assert_eq!(link("http://127.0.0.1:8787/", &t), format!("http://127.0.0.1:8787/consent.html#token={t}"));
}

#[test]
fn resend_waits_a_minute_only_while_pending_and_at_most_five_codes() {
    let t0 = Timestamp::from_unix(1_800_000_000);
    let auth = pending(t0);
    let code = CodeState::fresh(String::new(), t0, 1);
    let e = may_resend(&auth, &code, t0.plus(59)).unwrap_err();
    assert_eq!((e.code, e.data.unwrap()["retry_after"].as_i64()), (Code::RateLimited, Some(1)));
    assert!(may_resend(&auth, &code, t0.plus(60)).is_ok());
    let fifth = CodeState { codes_sent: MAX_CODES, ..code.clone() };
    assert_eq!(may_resend(&auth, &fifth, t0.plus(600)).unwrap_err().code, Code::ConsentLocked);
    let decided = crate::grants::CustomerAuthorization { status: crate::grants::AuthStatus::Rejected, ..auth };
    assert_eq!(may_resend(&decided, &code, t0.plus(600)).unwrap_err().code, Code::ConsentAlreadyDecided);
}

#[test]
fn the_link_shows_the_account_in_clear_only_after_the_customer_approved_with_its_code() {
    use crate::grants::AuthStatus::*;
    let t0 = Timestamp::parse("2026-12-01T10:00:00Z").expect("time");
    let mut a = pending(t0);
    for (status, shown) in
        [(Pending, false), (Approved, true), (Revoked, true), (Rejected, false), (Withdrawn, false), (Locked, false)]
    {
        a.status = status;
        assert_eq!(shows_account(&a), shown, "{status:?}");
    }
}
