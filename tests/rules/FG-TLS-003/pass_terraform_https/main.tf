resource "aws_lambda_function" "checkout" {
  function_name = "checkout"
  filename      = "checkout.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/checkout"
  environment {
    variables = {
      PAYMENTS_URL = "https://payments.example.com/v1"
      METADATA_URL = "http://169.254.169.254/latest"
      LOCAL_URL    = "http://localhost:4566"
    }
  }
}
