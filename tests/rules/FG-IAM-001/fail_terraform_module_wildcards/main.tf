module "orders" {
  source  = "./modules/function"
  name    = "orders"
  actions = ["dynamodb:*"]
}

module "reports" {
  source  = "./modules/function"
  name    = "reports"
  actions = ["s3:GetObject"]
}
