"""Answers gathered elsewhere, uploaded as CSV on a survey's page: stored in that survey as `surveys.imports` stores
them (every line checked first, nothing written when one is refused). A file larger than BACKGROUND_IMPORT_BYTES is
checked while the person waits — so its refused lines are shown beside the field as a small file's are — and then
stored by the background work (a job, followed on its page), as the other large imports are."""

from contextlib import ExitStack
from datetime import date
from typing import BinaryIO

from flask import current_app

from cxroadmap import uploads
from cxroadmap.extensions import db
from cxroadmap.i18n import _, ngettext
from cxroadmap.jobs.models import Job
from cxroadmap.jobs.runner import start_job, writing_from_here
from cxroadmap.jobs.services import JobRefused, Outcome, job_kind
from cxroadmap.measures.answers import AnswersRefused, Imported
from cxroadmap.organisations.models import Organisation
from cxroadmap.surveys.imports import check_answers, import_answers
from cxroadmap.surveys.models import Survey

KIND = "survey_answers"


def stream_size(stream: BinaryIO) -> int | None:
    """How many bytes an uploaded file holds, from where it stands (read back to there); None when the stream
    cannot tell without being read."""
    if not stream.seekable():
        return None
    start = stream.tell()
    size = stream.seek(0, 2) - start
    stream.seek(start)
    return size


def in_background(stream: BinaryIO) -> bool:
    """Whether storing this upload takes longer than a page should wait: larger than BACKGROUND_IMPORT_BYTES."""
    size = stream_size(stream)
    return size is not None and size > int(current_app.config["BACKGROUND_IMPORT_BYTES"])


def limits() -> dict[str, int]:
    """What the upload's form says of its limits: the request's (MB), and past which it goes to the background (KB)."""
    config = current_app.config
    return {"mb": max(1, int(config["MAX_CONTENT_LENGTH"]) // (1024 * 1024)),
            "kb": int(config["BACKGROUND_IMPORT_BYTES"]) // 1024}


def import_now(organisation: Organisation, survey: Survey, stream: BinaryIO, default_day: date,
               before_writing) -> Imported:
    """Check every line, then store the answers in the survey (before_writing() in between); AnswersRefused, with
    nothing written, when any line is refused."""
    return import_answers(organisation, survey, stream, default_day, max_rows=uploads.ANSWER_ROWS,
                          before_writing=before_writing)


def queue_import(organisation: Organisation, survey: Survey, stream: BinaryIO, default_day: date, filename: str,
                 user_id: int, before_writing) -> Job:
    """Check every line now (AnswersRefused, nothing written), then hand the file to the background work, which
    stores it. before_writing() is called before the job is recorded."""
    start = stream.tell()
    check_answers(organisation, survey.measure, stream, uploads.ANSWER_ROWS)
    stream.seek(start)
    content = stream.read()  # within the request's limit (MAX_CONTENT_LENGTH): a larger form is refused whole
    before_writing()
    return start_job(organisation, user_id, KIND, {"survey_id": survey.id, "taken_on": default_day.isoformat(),
                                                   "filename": filename[:200]}, payload=content)


def stored_text(imported: Imported) -> str:
    """What the person is told of answers stored: how many, in which survey."""
    return ngettext("%(num)d answer stored in “%(survey)s”; the KPI's reading of its period follows from it.",
                    "%(num)d answers stored in “%(survey)s”; the KPI's readings of their periods follow from them.",
                    imported.count, survey=imported.survey_title)


@job_kind(KIND, lambda job: _("Import survey answers"), section="surveys/_answers_job.html", role="steering")
def store_uploaded_answers(job: Job, progress) -> Outcome:
    """Check the uploaded answers again (the journey may have changed since), then store them in the survey."""
    organisation = db.session.get_one(Organisation, job.organisation_id)
    survey = db.session.scalar(Survey.scoped_to(organisation).where(Survey.id == job.parameters["survey_id"]))
    if survey is None:
        raise JobRefused(_("The survey is no longer there; nothing was imported."))
    progress(5, _("Checking the answers…"))
    with ExitStack() as writing:
        def before_writing() -> None:
            progress(40, _("Storing the answers…"))
            writing.enter_context(writing_from_here())

        try:
            imported = import_answers(organisation, survey, job.payload or b"",
                                      date.fromisoformat(job.parameters["taken_on"]), max_rows=uploads.ANSWER_ROWS,
                                      before_writing=before_writing)
            db.session.flush()
        except AnswersRefused as refused:
            raise JobRefused(ngettext("Nothing was imported: %(num)s problem.",
                                      "Nothing was imported: %(num)s problems.", len(refused.lines)),
                             refused.lines) from None
    return Outcome(shown={"summary": stored_text(imported), "survey_id": survey.id})
