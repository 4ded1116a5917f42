import subprocess


def make_thumbnail(path, size):
    command = build_command(path, size)
    return subprocess.check_output(command, shell=True)


def build_command(path, size):
    return f"convert {path} -resize {size}x{size} thumb.png"


class Thumbnailer:
    def __init__(self, bucket):
        self.bucket = bucket

    def resize(self, name):
        target = f"s3://{self.bucket}/{name}"
        subprocess.run(f"aws s3 cp {target} /tmp/in.png", shell=True, check=True)
