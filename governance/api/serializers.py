import base64
import binascii
import re

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from rest_framework import serializers

from governance.models import GovernanceAction
from openplatform.api.serializers import StrictCharField, StrictSerializer
from openplatform.errors import FieldError

EVIDENCE_MAX_BYTES = 512 * 1024
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
EVIDENCE_FILE_NAME = re.compile(r"[A-Za-z0-9._-]+")


class GovernanceActionSerializer(serializers.ModelSerializer):
    """A governance action as the ISV it concerns sees it."""

    target_id = serializers.SerializerMethodField()
    has_evidence = serializers.SerializerMethodField()
    restricted_packs = serializers.SlugRelatedField(slug_field="code", many=True,
                                                    read_only=True)

    class Meta:
        model = GovernanceAction
        fields = ["id", "kind", "target_type", "target_id", "reason_code", "reason", "deadline",
                  "evidence_required", "statement", "has_evidence", "state", "decision_note",
                  "restricted_packs", "created_at", "resolved_at"]
        read_only_fields = fields

    def get_target_id(self, action: GovernanceAction) -> str:
        """The id of the ISV, app or merchant named by ``target_type``."""
        return str(getattr(action, f"{action.target_type}_id"))

    def get_has_evidence(self, action: GovernanceAction) -> bool:
        return bool(action.evidence)


class EvidenceFileSerializer(StrictSerializer):
    file_name = StrictCharField(
        max_length=100,
        help_text="Letters, digits, `.`, `_` and `-`; ends with .pdf, .jpg, .jpeg or .png.")
    content_base64 = StrictCharField(
        trim_whitespace=False,
        help_text=f"The file, base64-encoded; at most {EVIDENCE_MAX_BYTES // 1024} KiB decoded.")

    def validate_file_name(self, value: str) -> str:
        if not EVIDENCE_FILE_NAME.fullmatch(value):
            raise serializers.ValidationError(
                _("Use only letters, digits, dots, underscores and hyphens in the file name."),
                code=FieldError.INVALID)
        if "." not in value or value.rsplit(".", 1)[1].lower() not in EVIDENCE_EXTENSIONS:
            raise serializers.ValidationError(
                _("Send a PDF, JPEG or PNG file (.pdf, .jpg, .jpeg, .png)."),
                code=FieldError.FILE_TYPE)
        return value

    def validate_content_base64(self, value: str) -> bytes:
        try:
            content = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError(
                _("This is not valid base64."), code=FieldError.INVALID) from None
        if len(content) > EVIDENCE_MAX_BYTES:
            raise serializers.ValidationError(
                _("The file is larger than %(limit)d KiB.") % {"limit": EVIDENCE_MAX_BYTES // 1024},
                code=FieldError.TOO_LARGE)
        return content

    def to_internal_value(self, data) -> ContentFile:
        value = super().to_internal_value(data)
        return ContentFile(value["content_base64"], name=value["file_name"])


class EvidenceSubmitSerializer(StrictSerializer):
    """The ISV's answer to a rectification order."""

    statement = StrictCharField(
        help_text="What was rectified, and how; checked by platform staff.")
    evidence = EvidenceFileSerializer(required=False,
                                      help_text="An optional supporting document.")
