use sforce::soql;

fn main() {
    let _ = soql!("SELECT c.Nmae, x.Name FROM Contact c, c.Account a");
}
