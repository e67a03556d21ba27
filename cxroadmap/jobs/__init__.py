"""Long work in the background (a large report, a large import), its progress and its result; and the site
administrator's page of time-driven and waiting work."""


def load(area) -> None:
    from datetime import timedelta

    from cxroadmap.areas import TimedWork
    from cxroadmap.jobs import work
    from cxroadmap.jobs.services import backlog
    from cxroadmap.jobs.views import bp
    from cxroadmap.web import PagePanel

    area.blueprints(bp, work.bp)
    area.add(PagePanel.of_template(("site_administration",), "jobs/_site_administration.html", place=10))
    area.add(TimedWork("tidy-jobs", run=work.tidy, due=work.to_tidy, every=timedelta(minutes=10), said=work.said))
    area.add(backlog())
