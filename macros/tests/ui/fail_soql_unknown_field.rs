use sforce::soql;

fn main() {
    let _ = soql!("SELECT Id, Nmae, Parent.Industy FROM Account");
}
