use sforce::soql;

fn main() {
    let flag = true;
    let _ = soql!("SELECT Id FROM Account WHERE AnnualRevenue > {flag}");
}
