from chalice import IAMAuthorizer

iam = IAMAuthorizer()
