pub fn render_invoice(){}
pub fn render_statement(){}
