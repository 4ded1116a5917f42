variable "tracing_mode" {
  default = "Active"
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  filename      = "orders.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/orders"
  tracing_config {
    mode = var.tracing_mode
  }
}
