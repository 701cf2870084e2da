use sforce::soql;

fn main() {
    let _ = soql!("SELECT Id FROM Account WHERE Name = 'unterminated");
}
