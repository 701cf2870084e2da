use sforce::soql;

fn main() {
    let _ = soql!("SELECT Id, (SELECT Id FROM Contact) FROM Account");
}
