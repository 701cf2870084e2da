use sforce::soql;

fn main() {
    // The fixture dumps have no User: the error says how to add it.
    let _ = soql!("SELECT Id, Owner.Name FROM Account");
}
