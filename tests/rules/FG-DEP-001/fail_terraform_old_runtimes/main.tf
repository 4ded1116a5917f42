variable "runtime" {
  default = "nodejs16.x"
}

resource "aws_lambda_function" "legacy" {
  function_name = "legacy"
  filename      = "legacy.zip"
  handler       = "app.handler"
  runtime       = "python3.8"
  role          = "arn:aws:iam::123456789012:role/legacy"
}

resource "aws_lambda_function" "web" {
  for_each      = toset(["a", "b"])
  function_name = "web-${each.key}"
  filename      = "web.zip"
  handler       = "index.handler"
  runtime       = var.runtime
  role          = "arn:aws:iam::123456789012:role/web"
}
