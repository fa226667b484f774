//! Huawei Cloud as an upstream: what is Huawei's own protocol, independent of the worker (pure, host
//! tested). So far: request signing.

pub mod sign;
