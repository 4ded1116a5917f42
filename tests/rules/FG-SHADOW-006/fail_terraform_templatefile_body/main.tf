resource "aws_apigatewayv2_api" "api" {
  name          = "notes"
  protocol_type = "HTTP"
  body = templatefile("${path.module}/api.yaml", {
    fn_arn = aws_lambda_function.fn.invoke_arn
  })
}

resource "aws_apigatewayv2_integration" "fn" {
  api_id           = aws_apigatewayv2_api.api.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.fn.invoke_arn
}

resource "aws_apigatewayv2_route" "purge" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "DELETE /notes"
  target    = "integrations/${aws_apigatewayv2_integration.fn.id}"
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  runtime       = "python3.12"
  handler       = "app.handler"
  role          = "arn:aws:iam::123456789012:role/notes"
  filename      = "notes.zip"
}
