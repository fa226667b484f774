//! Huawei Cloud as an upstream: what is Huawei's own protocol, independent of the worker (pure, host
//! tested): where the endpoints are, signing, one signed call as data, IAM's agency and projects,
//! its error answers as our codes, following jobs and orders, and sealing secrets at rest.

pub mod call;
pub mod config;
pub mod customer_orders;
pub mod directory;
pub mod fault;
pub mod iam;
pub mod lookups;
pub mod rating;
pub mod settings;
pub mod sign;
pub mod track;
pub mod vault;
