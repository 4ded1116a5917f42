resource "aws_lambda_function" "thumbs" {
  function_name = "thumbs"
  filename      = "thumbs.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/thumbs"
}

resource "aws_lambda_permission" "anyone" {
  statement_id  = "AllowAnyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.thumbs.function_name
  principal     = "*"
}

resource "aws_lambda_permission" "s3" {
  statement_id  = "AllowS3"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.thumbs.arn
  principal     = "s3.amazonaws.com"
}
