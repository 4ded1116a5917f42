variable "runtime" {}

resource "aws_lambda_function" "current" {
  function_name = "current"
  filename      = "current.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/current"
}

resource "aws_lambda_function" "configured" {
  function_name = "configured"
  filename      = "configured.zip"
  handler       = "app.handler"
  runtime       = var.runtime
  role          = "arn:aws:iam::123456789012:role/configured"
}

resource "aws_lambda_function" "image" {
  function_name = "image"
  package_type  = "Image"
  image_uri     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"
  role          = "arn:aws:iam::123456789012:role/image"
}
