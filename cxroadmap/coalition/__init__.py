"""The cross-functional CX coalition: members, teams and their role statements."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames, Reference
    from cxroadmap.coalition import exchange, people, report
    from cxroadmap.coalition.models import CoalitionMember, Team
    from cxroadmap.coalition.roles import COALITION_ROLES
    from cxroadmap.coalition.views import bp
    from cxroadmap.i18n import _l
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.template_values(COALITION_ROLES=COALITION_ROLES)
    area.add(AuditNames(
        objects={"Coalition member": _l("Coalition member"), "Team": _l("Team"),
                 "Role statement": _l("Role statement")},
        references={"owner_id": Reference(CoalitionMember, lambda member: member.name),
                    "team_id": Reference(Team, lambda team: team.name)}))
    area.add(MenuEntry("people", "coalition.members", _l("Coalition"),
                       ("coalition.members", "coalition.new_member", "coalition.edit_member"), place=10),
             MenuEntry("people", "coalition.teams", _l("Teams"),
                       ("coalition.teams", "coalition.new_team", "coalition.edit_team", "coalition.team"), place=20))
    area.add(exchange.PART)
    area.add(people.NAMES, report.FIGURES, report.SECTION, report.READABLE)
