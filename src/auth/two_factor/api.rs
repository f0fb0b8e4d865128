//! Request and response bodies of two-factor sign-in.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where the signed-in judge or admin stands with two-factor sign-in.
#[derive(Serialize, ToSchema)]
pub struct TwoFactorStatus {
    /// Codes are asked for at sign-in.
    pub enabled: bool,
    /// Enrolment was started and awaits its first code.
    pub pending: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// This account must enrol before admin endpoints answer (`JURY_REQUIRE_ADMIN_2FA`).
    pub required: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    pub password: String,
}

/// Everything an authenticator app needs, shown once during enrolment.
#[derive(Serialize, ToSchema)]
pub struct SetupResponse {
    /// Base32 (RFC 4648, no padding), for typing into an app by hand.
    pub secret: String,
    /// `otpauth://totp/…`, the content of the QR code.
    pub otpauth_uri: String,
    pub qr: QrMatrix,
}

/// The QR code of `otpauth_uri` as modules: `rows[y]` holds `size` characters, `1` dark and
/// `0` light, without the quiet zone.
#[derive(Serialize, ToSchema)]
pub struct QrMatrix {
    pub size: usize,
    pub rows: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// The 6-digit code from the authenticator app.
    pub code: String,
}

/// Single-use codes for when the authenticator is lost; shown only in this answer.
#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableRequest {
    pub password: String,
    /// A code from the authenticator app, or else `recovery_code`.
    pub code: Option<String>,
    pub recovery_code: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegenerateRequest {
    pub password: String,
    pub code: String,
}

/// The answer of `POST /auth/login` for an account with two-factor sign-in: no session yet.
#[derive(Serialize, ToSchema)]
pub struct TwoFactorChallenge {
    /// Always `two_factor_required`.
    pub status: &'static str,
    /// Short-lived signed token for `POST /auth/login/2fa`; not an access token.
    pub challenge: String,
    /// Seconds the challenge stays valid.
    pub expires_in: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecondFactorRequest {
    pub challenge: String,
    /// A code from the authenticator app, or else `recovery_code`.
    pub code: Option<String>,
    pub recovery_code: Option<String>,
}

/// The claims of a challenge token. `typ` is `two_factor`, so it never passes as an access
/// token; `jti` names the stored challenge that counts attempts and is used once.
#[derive(Debug, Serialize, Deserialize)]
pub struct ChallengeClaims {
    pub sub: String,
    pub typ: String,
    pub jti: String,
    /// The user's token_version when issued: a password change voids the challenge.
    pub ver: i32,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}
