use sforce::soql;
use sforce::soql::Like;

fn main() {
    // A `Like` is a LIKE pattern (its `\%` only means something there), not text for `=`.
    let pattern = Like::prefix("Acme");
    let _ = soql!("SELECT Id FROM Account WHERE Name = {pattern}");
}
