"""The portal's governance forms: the notice list's filters and the answer to a rectification
order. The evidence rules (types, size) are the API's (``governance.api.serializers``)."""

import re

import django_filters
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from governance.api.serializers import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES
from governance.choices import ActionKind, ActionState, TargetType
from governance.filtersets import GovernanceActionFilterSet

EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
# What the file is, told by its first bytes: a renamed .exe is not a PDF.
EVIDENCE_SIGNATURES = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
}
STATEMENT_MAX_LENGTH = 5000
_UNSAFE_FILE_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


class GovernanceNoticeFilterSet(GovernanceActionFilterSet):
    """The API's filters, plus the measure's kind and what it concerns; one value each."""

    kind = django_filters.ChoiceFilter(choices=ActionKind.choices, label=_("Measure"),
                                       empty_label=_("Every measure"))
    state = django_filters.ChoiceFilter(choices=ActionState.choices, label=_("State"),
                                        empty_label=_("Every state"))
    target_type = django_filters.ChoiceFilter(choices=TargetType.choices, label=_("Concerns"),
                                              empty_label=_("ISV, apps and merchants"))

    class Meta(GovernanceActionFilterSet.Meta):
        fields = ["kind", "state", "target_type"]


class EvidenceForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"), max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you rectified, and how. Platform staff read it with the evidence."))
    evidence = forms.FileField(
        label=_("Evidence"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request: a lazy string formatted at import would freeze its language.
        self.fields["evidence"].help_text = _(
            "Optional: one PDF, JPEG or PNG file of at most %(limit)d KiB."
        ) % {"limit": EVIDENCE_MAX_BYTES // 1024}

    def clean_evidence(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in EVIDENCE_EXTENSIONS:
            raise forms.ValidationError(
                _("Send a PDF, JPEG or PNG file (.pdf, .jpg, .jpeg, .png)."), code="file_type")
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d KiB.") % {"limit": EVIDENCE_MAX_BYTES // 1024},
                code="too_large")
        upload.seek(0)
        head = upload.read(len(EVIDENCE_SIGNATURES[extension]))
        upload.seek(0)
        if head != EVIDENCE_SIGNATURES[extension]:
            raise forms.ValidationError(
                _("This file is not a real %(type)s: export it again and upload that file.")
                % {"type": extension.upper()}, code="file_type")
        upload.name = safe_file_name(upload.name, extension=extension)
        return upload


def safe_file_name(name: str, *, extension: str) -> str:
    """The API's file-name alphabet (letters, digits, ``.``, ``_``, ``-``) for a browser's name."""
    stem = _UNSAFE_FILE_NAME_CHARACTERS.sub("_", name.rsplit(".", 1)[0]).strip("._")[:80]
    return f"{stem or 'evidence'}.{extension}"
