import subprocess


def main(request, _context):
    value = request["headers"].get("x-q", "")
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
