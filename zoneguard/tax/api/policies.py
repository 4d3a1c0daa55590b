"""Facts, policies and their conditions, matching, tax profiles, questions and answers."""

from typing import Any

from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.core.errors import InvalidInput, NotFound

from .. import access, selectors, services
from ..models import PolicyCategory
from ..schemas.common import AttachmentOut
from ..schemas.policies import (
    AnswerIn,
    CategoryOut,
    ConditionIn,
    ConditionOut,
    EligibleOrganisationOut,
    EligiblePolicyOut,
    FactOut,
    FaqFilters,
    FaqOut,
    PolicyDetailOut,
    PolicyFilters,
    PolicyIn,
    PolicyOut,
    PolicyPatch,
    ProfileIn,
    ProfileOut,
    QuestionFilters,
    QuestionIn,
    QuestionOut,
    TaxTypeOut,
)

router = Router()

PK = Path(..., ge=1, le=MAX_ID)


@router.get("/tax/facts", response={200: list[FactOut], **ERRORS})
def fact_list(request: ApiRequest) -> Any:
    """The organisation facts eligibility conditions may test, with their operators and values."""
    access.require_user(request.user)
    return selectors.facts_catalogue()


@router.get("/tax/policy-categories", response={200: list[CategoryOut], **ERRORS})
def category_list(request: ApiRequest) -> Any:
    """The categories of the policy library, in their set order, each with how many published policies it holds; for
    the commander, tax officers and enterprises' admins (403 otherwise)."""
    access.require_user(request.user)
    return selectors.category_list()


@router.get("/tax/tax-types", response={200: list[TaxTypeOut], **ERRORS})
def tax_type_list(request: ApiRequest) -> Any:
    """The active tax types a deferral application is itemised by (增值税, 消费税 …), in their set order;
    for the commander, tax officers and enterprises' admins (403 otherwise)."""
    access.require_user(request.user)
    return selectors.tax_types()


@router.get("/tax/policies", response={200: list[PolicyOut], **ERRORS})
@paginate(Paging)
def policy_list(request: ApiRequest, filters: Query[PolicyFilters]) -> Any:
    """Tax officers and the commander see drafts too; enterprises see published policies."""
    return selectors.policy_list(actor=request.user, **filters.dict())


def _policy_data(payload: Any, *, partial: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=partial)
    if "category_id" in data:
        category = PolicyCategory.objects.filter(pk=data.pop("category_id")).first()
        if category is None:
            raise InvalidInput.for_field("category_id", _("Choose a category."), code="unknown_category")
        data["category"] = category
    return data


@router.post("/tax/policies", response={201: PolicyDetailOut, **ERRORS})
def policy_create(request: ApiRequest, payload: PolicyIn) -> Any:
    """A draft policy; add conditions, then publish it."""
    access.require_administrator(request.user)
    policy = services.policy_create(actor=request.user, data=_policy_data(payload, partial=False))
    return 201, selectors.policy_access(actor=request.user, pk=policy.pk)


@router.get("/tax/policies/{pk}", response={200: PolicyDetailOut, **ERRORS})
def policy_read(request: ApiRequest, pk: int = PK) -> Any:
    """One policy with its conditions (each as a sentence) and attachments. Tax officers and the commander read
    drafts and withdrawn policies too; an enterprise only published ones (404 otherwise)."""
    return selectors.policy_access(actor=request.user, pk=pk)


@router.patch("/tax/policies/{pk}", response={200: PolicyDetailOut, **ERRORS})
def policy_update(request: ApiRequest, payload: PolicyPatch, pk: int = PK) -> Any:
    """Edits of a published policy match it again: newly eligible enterprises are notified."""
    policy = selectors.policy_access(actor=request.user, pk=pk)
    services.policy_update(actor=request.user, policy=policy, data=_policy_data(payload, partial=True))
    return selectors.policy_access(actor=request.user, pk=pk)


@router.post("/tax/policies/{pk}/publish", response={200: PolicyDetailOut, **ERRORS})
def policy_publish(request: ApiRequest, pk: int = PK) -> Any:
    """Publish: every eligible enterprise not yet told about the policy is notified, once."""
    policy = selectors.policy_access(actor=request.user, pk=pk)
    services.policy_publish(actor=request.user, policy=policy)
    return selectors.policy_access(actor=request.user, pk=pk)


@router.post("/tax/policies/{pk}/withdraw", response={200: PolicyDetailOut, **ERRORS})
def policy_withdraw(request: ApiRequest, pk: int = PK) -> Any:
    """Withdraw a published policy: enterprises no longer see it (tax officers). A draft or an already withdrawn
    policy is refused with 409 `not_published` and left as it is."""
    policy = selectors.policy_access(actor=request.user, pk=pk)
    services.policy_withdraw(actor=request.user, policy=policy)
    return selectors.policy_access(actor=request.user, pk=pk)


@router.post("/tax/policies/{pk}/conditions", response={201: ConditionOut, **ERRORS})
def condition_add(request: ApiRequest, payload: ConditionIn, pk: int = PK) -> Any:
    """Add an eligibility condition on a fact of `GET /tax/facts` (tax officers); 422 when the fact, operator or
    value does not fit, `too_many_conditions` past 30. A published, current policy is matched again at once:
    newly eligible enterprises are notified."""
    policy = selectors.policy_access(actor=request.user, pk=pk)
    condition = services.condition_add(actor=request.user, policy=policy, **payload.dict())
    return 201, condition


@router.delete("/tax/policies/{pk}/conditions/{condition_id}", response={204: None, **ERRORS})
def condition_remove(request: ApiRequest, pk: int = PK, condition_id: int = PK) -> Any:
    """Remove one of the policy's conditions (tax officers; 404 when it is not the policy's). A published, current
    policy is matched again at once: newly eligible enterprises are notified."""
    policy = selectors.policy_access(actor=request.user, pk=pk)
    condition = policy.conditions.filter(pk=condition_id).first()
    if condition is None:
        raise NotFound()
    services.condition_remove(actor=request.user, condition=condition)
    return 204, None


@router.post("/tax/policies/{pk}/attachments", response={201: AttachmentOut, **ERRORS})
def attachment_add(request: ApiRequest, pk: int = PK, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    """Attach a document to the policy (tax officers): multipart `file`, a PDF, Word, Excel, OFD, text or image
    file; 422 `file_type`, `file_empty` or `file_too_large` (over ZONEGUARD_TAX_UPLOAD_MAX_MB)."""
    policy = selectors.policy_access(actor=request.user, pk=pk)
    return 201, services.attachment_add(actor=request.user, policy=policy, file=file)


@router.delete("/tax/attachments/{pk}", response={204: None, **ERRORS})
def attachment_remove(request: ApiRequest, pk: int = PK) -> Any:
    """Remove a policy's attachment and its file (tax officers; 404 when the attachment or its policy is not found)."""
    access.require_administrator(request.user)
    services.attachment_remove(actor=request.user, attachment=selectors.attachment_access(actor=request.user, pk=pk))
    return 204, None


@router.get("/tax/policies/{pk}/organisations", response={200: list[EligibleOrganisationOut], **ERRORS})
@paginate(Paging)
def policy_organisations(request: ApiRequest, pk: int = PK) -> Any:
    """The enterprises that meet the policy's conditions, with the reason each condition holds
    (tax officers and the commander)."""
    policy = selectors.policy_access(actor=request.user, pk=pk)
    return selectors.eligible_organisations(actor=request.user, policy=policy)


@router.get("/tax/organisations/{pk}/policies", response={200: list[EligiblePolicyOut], **ERRORS})
def organisation_policies(request: ApiRequest, pk: int = PK) -> Any:
    """The published policies an enterprise is eligible for, with the reason each condition holds."""
    organisation = selectors.taxpayer_access(actor=request.user, pk=pk)
    return selectors.eligible_policies(actor=request.user, organisation=organisation)


@router.get("/tax/profiles/{pk}", response={200: ProfileOut, **ERRORS})
def profile_read(request: ApiRequest, pk: int = PK) -> Any:
    """A taxpayer's tax profile, the facts policies are matched on (blank when never kept): for the commander, tax
    officers (the taxpayers their department serves), and an enterprise's admins for their own organisation and
    those it is parent of; 404 otherwise, or for a community or an inactive organisation."""
    organisation = selectors.taxpayer_access(actor=request.user, pk=pk)
    return selectors.tax_profile(organisation=organisation)


@router.patch("/tax/profiles/{pk}", response={200: ProfileOut, **ERRORS})
def profile_update(request: ApiRequest, payload: ProfileIn, pk: int = PK) -> Any:
    """Kept by the tax officer or the enterprise; its fields are facts policies are matched on."""
    organisation = selectors.taxpayer_access(actor=request.user, pk=pk)
    data = payload.dict(exclude_unset=True)
    if data.get("hardship_reported", False) is None:
        del data["hardship_reported"]  # null text fields mean blank; a null flag means unchanged
    return services.tax_profile_update(actor=request.user, organisation=organisation, data=data)


# --- Questions and answers ------------------------------------------------------------------------


@router.get("/tax/questions", response={200: list[QuestionOut], **ERRORS})
@paginate(Paging)
def question_list(request: ApiRequest, filters: Query[QuestionFilters]) -> Any:
    """An enterprise sees its own questions; tax officers see all."""
    return selectors.question_list(actor=request.user, **filters.dict())


@router.post("/tax/questions", response={201: QuestionOut, **ERRORS})
def question_ask(request: ApiRequest, payload: QuestionIn) -> Any:
    """Ask about a published policy for a taxpayer (422 when blank or over 2,000 characters); the tax officers are
    told. The enterprise's admins (for their organisation and those it is parent of) and tax officers may ask
    (403 otherwise, the commander included); 404 when the policy is not published or the taxpayer is out of
    scope."""
    organisation = selectors.taxpayer_access(actor=request.user, pk=payload.organisation_id)
    policy = selectors.policy_access(actor=request.user, pk=payload.policy_id)
    question = services.question_ask(
        actor=request.user, policy=policy, organisation=organisation, question=payload.question
    )
    return 201, question


@router.get("/tax/questions/{pk}", response={200: QuestionOut, **ERRORS})
def question_read(request: ApiRequest, pk: int = PK) -> Any:
    """One question with its answer once given: an enterprise's own (and those of the organisations it is parent
    of), the commander any, tax officers those their department serves; 404 otherwise."""
    return selectors.question_access(actor=request.user, pk=pk)


@router.post("/tax/questions/{pk}/answer", response={200: QuestionOut, **ERRORS})
def question_answer(request: ApiRequest, payload: AnswerIn, pk: int = PK) -> Any:
    """Answer a question once (tax officers); `publish` also shows it in the FAQ, without who asked. The
    enterprise's admins are told. 409 `already_answered` when it has an answer; 422 when blank or over 5,000
    characters."""
    question = selectors.question_access(actor=request.user, pk=pk)
    return services.question_answer(
        actor=request.user, question=question, answer=payload.answer, publish=payload.publish
    )


@router.get("/tax/faq", response={200: list[FaqOut], **ERRORS})
@paginate(Paging)
def faq_list(request: ApiRequest, filters: Query[FaqFilters]) -> Any:
    """Answered questions published as FAQ; who asked is not shown."""
    return selectors.faq_list(actor=request.user, **filters.dict())
