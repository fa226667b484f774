use super::*;

#[test]
fn code_checks() {
    let id = AuthorizationId::from_bytes(&[9; 12]);
    let (code, hash) = new_code([1, 2, 3, 4], &id);
    assert_eq!(code.len(), 6);
    let t0 = Timestamp::from_unix(1_000);
    let st = CodeState { hash, expires_at: t0.plus(CODE_TTL), attempts: 0 };
    assert_eq!(check_code(&st, &id, &code, t0).unwrap(), CodeCheck::Correct);
    let other = if code == "000000" { "000001" } else { "000000" };
    assert_eq!(check_code(&st, &id, other, t0).unwrap(), CodeCheck::Wrong { attempts_left: 4 });
    assert_eq!(check_code(&st, &id, &code, t0.plus(CODE_TTL)).unwrap_err().code, Code::VerificationCodeExpired);
    let locked = CodeState { attempts: MAX_CODE_ATTEMPTS, ..st.clone() };
    assert_eq!(check_code(&locked, &id, &code, t0).unwrap_err().code, Code::VerificationCodeLocked);
    // A code is bound to its authorization.
    let id2 = AuthorizationId::from_bytes(&[8; 12]);
    assert!(matches!(check_code(&st, &id2, &code, t0).unwrap(), CodeCheck::Wrong { .. }));
}

#[test]
fn tokens() {
    let t = new_token(&[0xfe; 32]);
    assert!(is_token(&t));
    assert!(!is_token(&t[..t.len() - 1]));
    assert_ne!(token_hash(&t), t);
    assert_eq!(link("http://127.0.0.1:8787/", &t), format!("http://127.0.0.1:8787/consent.html#token={t}"));
}

#[test]
fn resend_waits_a_minute_and_only_while_pending() {
    use crate::grants::{AuthStatus, Capabilities, CustomerAuthorization};
    use crate::ids::{CustomerId, PartnerId};
    let t0 = Timestamp::from_unix(1_800_000_000);
    let auth = CustomerAuthorization {
        id: AuthorizationId::from_bytes(&[1; 12]), partner_id: PartnerId::from_bytes(&[2; 16]), customer_id: CustomerId::from_bytes(&[3; 16]),
        capabilities: Capabilities::all(), requested_by: None, requested_at: t0, valid_days: 10, status: AuthStatus::Pending,
        decided_at: None, expires_at: None, revoked_at: None, reason: None,
    };
    let code = CodeState { hash: String::new(), expires_at: t0.plus(CODE_TTL), attempts: 0 };
    assert_eq!(may_resend(&auth, &code, t0.plus(59)).unwrap_err().code, Code::RateLimited);
    assert!(may_resend(&auth, &code, t0.plus(60)).is_ok());
    let decided = CustomerAuthorization { status: AuthStatus::Rejected, ..auth };
    assert_eq!(may_resend(&decided, &code, t0.plus(600)).unwrap_err().code, Code::ConsentAlreadyDecided);
}
