"""Bot API calls as JSON bodies instead of PTB's form data.

httpx form-encodes PTB's requests and quotes every byte of them in Python: for an answer of a
few hundred characters with its buttons that cost more than matching the question. The Bot API
takes JSON for every call without files; uploads still go through PTB's own code.
"""

from __future__ import annotations

import json

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

Timeout = float | DefaultValue | None
"""A timeout in seconds, None for none, or PTB's marker for "the request's default"."""
CONNECTIONS = 256
"""What ApplicationBuilder gives its own request object."""


def _chosen(value: Timeout, default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


class JsonRequest(HTTPXRequest):
    def __init__(self) -> None:
        super().__init__(connection_pool_size=CONNECTIONS)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if request_data is None or request_data.contains_files:
            return await super().do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        default = self._client.timeout
        timeout = httpx.Timeout(
            connect=_chosen(connect_timeout, default.connect),
            read=_chosen(read_timeout, default.read),
            write=_chosen(write_timeout, default.write),
            pool=_chosen(pool_timeout, default.pool),
        )
        try:
            response = await self._client.request(
                method=method,
                url=url,
                headers={"User-Agent": self.USER_AGENT, "Content-Type": "application/json"},
                content=json.dumps(request_data.parameters).encode(),
                timeout=timeout,
            )
        except httpx.PoolTimeout as error:
            raise TimedOut("Pool timeout: all connections are busy; the request was not sent") from error
        except httpx.TimeoutException as error:
            raise TimedOut from error  # as PTB: the caller cannot know whether the message arrived
        except httpx.HTTPError as error:
            raise NetworkError(f"httpx.{error.__class__.__name__}: {error}") from error
        return response.status_code, response.content
