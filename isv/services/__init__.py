"""Every change to ISVs, their teams, their apps (OAuth clients) and their pack subscriptions,
one module per concern: ``providers`` (the ISV itself), ``team`` (members and invitations),
``apps`` and ``subscriptions``.

The state machines (tables in ``isv/choices.py``, shapes in DESIGN.md), with the one service
that makes each move; every move goes through ``openplatform.transitions.transition``:

ISV (``ISV_TRANSITIONS``, providers)
    pending_review → active                    isv_approve
    pending_review → rejected                  isv_reject
    rejected → pending_review                  isv_resubmit
    active → restricted                        isv_restrict
    restricted → active                        isv_lift_restriction
    active | restricted → suspended            isv_suspend
    suspended → active                         isv_reinstate
    suspended → cleared_out                    isv_clear_out (revokes the apps' OAuth tokens
                                               and suspends the apps)
    (a rejected registration is corrected with isv_update_registration before isv_resubmit)

Other apps react to ``isv.approved`` (the merchants app gives the ISV its sandbox) and to
``isv.cleared_out`` (it revokes merchants' authorizations of the ISV's apps).

Team (team): isv_member_add, isv_member_change_role, isv_member_remove (an ISV always keeps
an owner); invitations by email (``INVITATION_TRANSITIONS``): isv_invitation_create →
isv_invitation_accept (which adds the member) or isv_invitation_revoke.

App (``APP_TRANSITIONS``, apps; app_update edits name, description and redirect URIs;
app_rotate_secret replaces the client secret, the old one working on for an overlap)
    developing → in_review                     app_submit_for_review (production apps)
    in_review → live                           app_approve
    in_review → developing                     app_reject_review
    developing → live                          app_go_live (sandbox apps)
    offline → live                             app_go_live
    live → offline                             app_take_offline
    developing | in_review | live | offline
        → suspended                            app_suspend
    suspended → offline                        app_reinstate

Subscription (``SUBSCRIPTION_TRANSITIONS``, subscriptions; created by subscription_create,
straight to active when the pack needs no review, else pending_review)
    pending_review → active                    subscription_approve
    pending_review → rejected                  subscription_reject
    active → suspended                         subscription_suspend
    suspended → active                         subscription_resume
    pending_review | active | suspended
        → cancelled                            subscription_cancel

A table may allow several moves into one state (pending_review, restricted and suspended
ISVs all become active); each service moves only from its own source states and raises
IllegalTransition from any other.
"""
