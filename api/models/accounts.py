"""Closed-account response models."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.models.common import Identified, PublicModel
from api.models.summary import Share


class AccountBase(PublicModel):
    name: str | None = Field(None, description="Account name as the announcement gives it.")
    platform: str | None = Field(None, description="wechat, weibo, douyin, toutiao, kuaishou, bilibili, app, miniprogram.")
    action: str | None = Field(None, description="stop_updating, deregister or merge.")
    issuer: str | None = None
    province: str | None = None
    city: str | None = None
    effective_date: str | None = Field(None, description="ISO date the closure takes effect, if stated.")
    successor: str | None = Field(None, description="Channel named to carry the information instead.")
    reasons: list[str] = Field(default_factory=list, description="Theme ids of the stated reasons.")
    confidence: float | None = Field(None, description="0–1: how sure the registry is that the notice closes "
                                     "this account (name shape × where the closure was read). "
                                     "Null for accounts stored before issue 18.")
    evidence: str | None = Field(None, description="The notice's sentence that closes the account.")


class AccountPublic(AccountBase, Identified):
    announcement_id: str


class CityAccounts(BaseModel):
    city: str
    accounts: int
    accounts_share: Share = Field(description="Out of all matching accounts (the envelope's `total`).")
    platforms: dict[str, int] = Field(description="Closed accounts per platform.")
    actions: dict[str, int] = Field(description="Closed accounts per action.")
    platform_shares: dict[str, Share] = Field(description="`platforms` as shares of the city's accounts.")
    action_shares: dict[str, Share] = Field(description="`actions` as shares of the city's accounts.")


class AccountSummary(BaseModel):
    data: list[CityAccounts]
    count: int = Field(description="Number of cities.")
    total: int = Field(description="Accounts matching the filters.")
    platforms: dict[str, int] = Field(description="All cities: accounts per platform.")
    actions: dict[str, int] = Field(description="All cities: accounts per action.")
    platform_shares: dict[str, Share] = Field(description="`platforms` as shares of `total`.")
    action_shares: dict[str, Share] = Field(description="`actions` as shares of `total`.")
