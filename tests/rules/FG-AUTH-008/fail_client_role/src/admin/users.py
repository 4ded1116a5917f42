def is_admin(user):
    return "admins" in user.get("groups", [])


def delete_user(name):
    print("deleting", name)
