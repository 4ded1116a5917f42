resource "aws_apigatewayv2_api" "payments" {
  name          = "payments"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "payments" {
  api_id                 = aws_apigatewayv2_api.payments.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.payments.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "list" {
  api_id    = aws_apigatewayv2_api.payments.id
  route_key = "GET /payments"
  target    = "integrations/${aws_apigatewayv2_integration.payments.id}"
}

resource "aws_apigatewayv2_route" "get" {
  api_id    = aws_apigatewayv2_api.payments.id
  route_key = "GET /payments/{paymentId}/"
  target    = "integrations/${aws_apigatewayv2_integration.payments.id}"
}

resource "aws_apigatewayv2_route" "export" {
  api_id    = aws_apigatewayv2_api.payments.id
  route_key = "DELETE /payments/{id}"
  target    = "integrations/${aws_apigatewayv2_integration.payments.id}"
}

resource "aws_iam_role" "payments" {
  name = "payments"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "payments" {
  function_name = "payments"
  runtime       = "python3.12"
  handler       = "app.handler"
  role          = aws_iam_role.payments.arn
  filename      = "payments.zip"
}
