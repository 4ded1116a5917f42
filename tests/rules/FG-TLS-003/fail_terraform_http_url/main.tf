variable "payments_host" {
  default = "payments.example.com"
}

resource "aws_lambda_function" "checkout" {
  function_name = "checkout"
  filename      = "checkout.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/checkout"
  environment {
    variables = {
      PAYMENTS_URL = "http://${var.payments_host}/v1"
      CACHE_URL    = "http://127.0.0.1:6379"
    }
  }
}
