// The partner layer: the generated partner bindings and what is built on them (query
// streams, typed calls, the `ExceptionCode` of a fault). Nothing below this layer names it.

include!("../generated/partner.rs");

mod fault_code;
mod records;
mod typed;

#[cfg(feature = "blocking")]
pub use records::RecordIter;
pub use records::RecordStream;
#[cfg(feature = "blocking")]
pub use typed::{BlockingTypedClient, TypedIter};
pub use typed::{TypedClient, TypedStream};
