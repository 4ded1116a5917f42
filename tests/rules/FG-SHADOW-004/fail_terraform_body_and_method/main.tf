resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "orders", version = "1" }
    paths = {
      "/orders" = {
        get = {
          x-amazon-apigateway-integration = {
            type       = "AWS_PROXY"
            httpMethod = "POST"
            uri        = aws_lambda_function.orders.invoke_arn
          }
        }
      }
    }
  })
}

# Added beside the body: not in the definition readers review.
resource "aws_api_gateway_resource" "admin" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "admin"
}

resource "aws_api_gateway_method" "admin_delete" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.admin.id
  http_method   = "DELETE"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "admin_delete" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.admin.id
  http_method             = aws_api_gateway_method.admin_delete.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_iam_role" "orders" {
  name = "orders"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  role          = aws_iam_role.orders.arn
  filename      = "orders.zip"
}
