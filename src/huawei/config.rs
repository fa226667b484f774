//! Where the upstream is: `UPSTREAM` (`simulated`, the default, or `huawei`) and Huawei Cloud's
//! endpoints (`HUAWEI_REGIONAL_ENDPOINT`, `HUAWEI_IAM_ENDPOINT`, `HUAWEI_BSS_ENDPOINT`), read once
//! per request from the deployment's variables.

use crate::error::{ApiError, Code};

pub const DEFAULT_REGIONAL: &str = "https://{service}.{region}.myhuaweicloud.com";
pub const DEFAULT_IAM: &str = "https://iam.myhuaweicloud.com";
pub const DEFAULT_BSS: &str = "https://bss-intl.myhuaweicloud.com";

/// The deployment's upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upstream {
    /// The deterministic simulation (`crate::upstream::Simulated`): works offline, the embedded default.
    Simulated,
    /// Huawei Cloud (or an emulator of it) at these endpoints.
    Huawei(Endpoints),
}

/// Huawei Cloud's endpoints: base URLs without a trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    regional: String,
    pub iam: String,
    pub bss: String,
}

fn base(name: &str, value: Option<&str>, default: &str) -> Result<String, ApiError> {
    let v = value.map(str::trim).filter(|v| !v.is_empty()).unwrap_or(default);
    if !(v.starts_with("https://") || v.starts_with("http://")) || v.contains(char::is_whitespace) {
        return Err(ApiError::with_message(Code::Internal, format!("{name} must be an http(s) URL, not {v:?}.")));
    }
    Ok(v.trim_end_matches('/').to_string())
}

impl Upstream {
    /// From the variables (`None` = unset). An unknown `UPSTREAM` or a malformed endpoint is a
    /// deployment fault (`internal`, with the variable named), never a silent fallback.
    pub fn from_vars(
        upstream: Option<&str>,
        regional: Option<&str>,
        iam: Option<&str>,
        bss: Option<&str>,
    ) -> Result<Self, ApiError> {
        match upstream.map(str::trim).unwrap_or("") {
            "" | "simulated" => Ok(Upstream::Simulated),
            "huawei" => {
                let regional = base("HUAWEI_REGIONAL_ENDPOINT", regional, DEFAULT_REGIONAL)?;
                if !regional.contains("{service}") || !regional.contains("{region}") {
                    return Err(ApiError::with_message(
                        Code::Internal,
                        "HUAWEI_REGIONAL_ENDPOINT must contain {service} and {region}.",
                    ));
                }
                Ok(Upstream::Huawei(Endpoints {
                    regional,
                    iam: base("HUAWEI_IAM_ENDPOINT", iam, DEFAULT_IAM)?,
                    bss: base("HUAWEI_BSS_ENDPOINT", bss, DEFAULT_BSS)?,
                }))
            }
            other => Err(ApiError::with_message(
                Code::Internal,
                format!("UPSTREAM must be \"simulated\" or \"huawei\", not {other:?}."),
            )),
        }
    }

    /// The name reported by `GET /v1/health` and on quotes and orders.
    pub fn name(&self) -> &'static str {
        match self {
            Upstream::Simulated => "simulated",
            Upstream::Huawei(_) => "huawei",
        }
    }
}

impl Endpoints {
    /// The regional endpoint of `service` (`ecs`, `evs`, `vpc`) in `region`.
    pub fn regional(&self, service: &str, region: &str) -> String {
        self.regional.replace("{service}", service).replace("{region}", region)
    }
}

#[cfg(test)]
mod tests;
