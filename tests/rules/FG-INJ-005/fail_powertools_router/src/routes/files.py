import os

from aws_lambda_powertools.event_handler.router import APIRouter

router = APIRouter()


@router.get("/preview")
def preview():
    path = router.current_event.get_query_string_value(name="path", default_value="index.txt")
    with open(os.path.join("/mnt/files", path)) as fh:
        return {"preview": fh.read(200)}
