#!/usr/bin/env python3
"""Stand-in desktop services on a private D-Bus session bus, for Clawtower's e2e tests.

Headless CI has no panel and no notification daemon, so a Tauri tray icon (tray-icon ->
libayatana-appindicator3) and desktop notifications (notify-rust) have nobody to talk to.
This tool plays both parts as real D-Bus services, then lets a test inspect what the app
really exported:

  serve          own org.kde.StatusNotifierWatcher, org.freedesktop.Notifications and a
                 StatusNotifierHost name; record items in DIR/items.json and notifications
                 in DIR/notifications.jsonl; touch DIR/ready once every name is owned.
  tray           print each registered item's org.kde.StatusNotifierItem properties and
                 its com.canonical.dbusmenu menu as JSON (optionally waiting for it).
  tray-click     send a dbusmenu "clicked" event to the menu item with a given label.
  notifications  print the recorded notifications as a JSON array.

The state dir defaults to $CLAWTOWER_DESKTOP_STATE. The bus is $DBUS_SESSION_BUS_ADDRESS.
Exit status: 0 ok, 1 expectation not met (nothing registered, no such item, ...), 2 usage.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from dbus_fast import (
    BusType,
    DBusError,
    Message,
    MessageType,
    NameFlag,
    PropertyAccess,
    RequestNameReply,
    Variant,
)
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusBool, DBusDict, DBusInt32, DBusSignature, DBusStr, DBusUInt32
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal

WATCHER_NAME = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM_IFACE = "org.kde.StatusNotifierItem"
DEFAULT_ITEM_PATH = "/StatusNotifierItem"
MENU_IFACE = "com.canonical.dbusmenu"
NOTIFY_NAME = "org.freedesktop.Notifications"
NOTIFY_PATH = "/org/freedesktop/Notifications"
PROPS_IFACE = "org.freedesktop.DBus.Properties"
CALL_TIMEOUT = 5.0  # seconds for any one D-Bus call made by the client commands

StrList = Annotated[list[str], DBusSignature("as")]
ServerInfo = Annotated[list[str], DBusSignature("ssss")]
PLAIN_SIGNATURES = set("ybnqiuxtdsog")  # hint values that are recorded as-is


def log(text: str) -> None:
    """One line of progress on stderr (stdout is reserved for JSON)."""
    print(f"desktop_bus: {text}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- state dir


class StateDir:
    """Files shared between `serve` and the client commands."""

    def __init__(self, path: str) -> None:
        self.root = Path(path)
        self.items = self.root / "items.json"
        self.notifications = self.root / "notifications.jsonl"
        self.ready = self.root / "ready"

    def write_items(self, items: list["Item"]) -> None:
        """Atomically replace items.json with the current item set."""
        tmp = self.items.with_suffix(".tmp")
        tmp.write_text(json.dumps([item.to_json() for item in items], indent=2) + "\n")
        tmp.replace(self.items)

    def read_items(self) -> list["Item"]:
        """Items as last written by `serve` (none when the file does not exist yet)."""
        if not self.items.exists():
            return []
        return [Item(entry["bus"], entry["path"]) for entry in json.loads(self.items.read_text())]

    def append_notification(self, record: dict[str, Any]) -> None:
        with self.notifications.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def read_notifications(self) -> list[dict[str, Any]]:
        if not self.notifications.exists():
            return []
        lines = self.notifications.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]


@dataclass(frozen=True)
class Item:
    """A registered StatusNotifierItem: the bus name that owns it and its object path."""

    bus: str
    path: str

    @property
    def service(self) -> str:
        """The "bus/path" form used in RegisteredStatusNotifierItems (as KDE does)."""
        return self.bus + self.path

    def to_json(self) -> dict[str, str]:
        return {"bus": self.bus, "path": self.path, "service": self.service}


def parse_service(service: str, sender: str) -> Item:
    """Turn a RegisterStatusNotifierItem argument into an Item.

    appindicator passes only an object path (the caller's unique name is the bus); KDE/Qt
    pass a bus name (object at /StatusNotifierItem); a few pass "bus/path".
    """
    if service.startswith("/"):
        return Item(sender, service)
    bus, slash, path = service.partition("/")
    return Item(bus, slash + path if slash else DEFAULT_ITEM_PATH)


# --------------------------------------------------------------------------- services


class Watcher(ServiceInterface):
    """org.kde.StatusNotifierWatcher: the registry a tray panel normally provides."""

    def __init__(self, state: StateDir) -> None:
        super().__init__(WATCHER_NAME)
        self.state = state
        self.items: list[Item] = []
        self.hosts: set[str] = set()
        # dbus-fast does not hand the message to methods, so `serve` installs a message
        # handler that stores the sender here right before the method runs (same tick).
        self.caller = ""

    @dbus_method()
    def RegisterStatusNotifierItem(self, service: DBusStr) -> None:
        item = parse_service(service, self.caller)
        if item in self.items:
            return
        self.items.append(item)
        self.state.write_items(self.items)
        log(f"item registered: {item.service}")
        self.StatusNotifierItemRegistered(item.service)

    @dbus_method()
    def RegisterStatusNotifierHost(self, service: DBusStr) -> None:
        self.hosts.add(service)
        self.StatusNotifierHostRegistered()

    def forget(self, bus_name: str) -> None:
        """Drop everything owned by a bus name that just left the bus."""
        self.hosts.discard(bus_name)
        gone = [item for item in self.items if item.bus == bus_name]
        if not gone:
            return
        self.items = [item for item in self.items if item.bus != bus_name]
        self.state.write_items(self.items)
        for item in gone:
            log(f"item unregistered: {item.service}")
            self.StatusNotifierItemUnregistered(item.service)

    @dbus_property(access=PropertyAccess.READ)
    def RegisteredStatusNotifierItems(self) -> StrList:
        return [item.service for item in self.items]

    @dbus_property(access=PropertyAccess.READ)
    def IsStatusNotifierHostRegistered(self) -> DBusBool:
        return True

    @dbus_property(access=PropertyAccess.READ)
    def ProtocolVersion(self) -> DBusInt32:
        return 0

    @dbus_signal()
    def StatusNotifierItemRegistered(self, service: str) -> DBusStr:
        return service

    @dbus_signal()
    def StatusNotifierItemUnregistered(self, service: str) -> DBusStr:
        return service

    @dbus_signal()
    def StatusNotifierHostRegistered(self) -> None:
        return None


class Notifications(ServiceInterface):
    """org.freedesktop.Notifications: records every notification instead of showing it."""

    def __init__(self, state: StateDir) -> None:
        super().__init__(NOTIFY_NAME)
        self.state = state
        self.last_id = 0

    @dbus_method()
    def Notify(
        self,
        app_name: DBusStr,
        replaces_id: DBusUInt32,
        app_icon: DBusStr,
        summary: DBusStr,
        body: DBusStr,
        actions: StrList,
        hints: DBusDict,
        expire_timeout: DBusInt32,
    ) -> DBusUInt32:
        if replaces_id and replaces_id <= self.last_id:
            notification_id = replaces_id
        else:
            self.last_id += 1
            notification_id = self.last_id
        plain = {k: v.value for k, v in hints.items() if v.signature in PLAIN_SIGNATURES}
        self.state.append_notification(
            {
                "id": notification_id,
                "app_name": app_name,
                "replaces_id": replaces_id,
                "app_icon": app_icon,
                "summary": summary,
                "body": body,
                "actions": actions,
                "hints": plain,
                "other_hints": sorted(set(hints) - set(plain)),  # e.g. image-data (a struct)
                "expire_timeout": expire_timeout,
                "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            }
        )
        log(f"notification {notification_id} from {app_name!r}: {summary!r}")
        return notification_id

    @dbus_method()
    def CloseNotification(self, notification_id: DBusUInt32) -> None:
        self.NotificationClosed(notification_id, 3)  # 3 = closed by a CloseNotification call

    @dbus_method()
    def GetCapabilities(self) -> StrList:
        return ["body", "actions"]

    @dbus_method()
    def GetServerInformation(self) -> ServerInfo:
        return ["clawtower-test", "clawtower", "1", "1.2"]

    @dbus_signal()
    def NotificationClosed(self, notification_id: int, reason: int) -> Annotated[list[int], DBusSignature("uu")]:
        return [notification_id, reason]

    @dbus_signal()
    def ActionInvoked(self, notification_id: int, action_key: str) -> Annotated[list[Any], DBusSignature("us")]:
        return [notification_id, action_key]


async def own_name(bus: MessageBus, name: str) -> None:
    """Request a well-known name, failing loudly if someone else already has it."""
    reply = await bus.request_name(name, NameFlag.DO_NOT_QUEUE)
    if reply not in (RequestNameReply.PRIMARY_OWNER, RequestNameReply.ALREADY_OWNER):
        raise SystemExit(f"desktop_bus: could not own {name} ({reply.name}); is a real panel running?")


async def serve(state: StateDir) -> int:
    """Run the watcher, the host and the notification daemon until SIGTERM/SIGINT."""
    state.root.mkdir(parents=True, exist_ok=True)
    state.ready.unlink(missing_ok=True)
    state.notifications.unlink(missing_ok=True)  # a new session starts with no notifications
    state.write_items([])
    bus = await MessageBus(bus_type=BusType.SESSION).connect()
    watcher, notifications = Watcher(state), Notifications(state)
    bus.export(WATCHER_PATH, watcher)
    bus.export(NOTIFY_PATH, notifications)

    def on_message(msg: Message) -> bool:
        if msg.message_type == MessageType.METHOD_CALL and msg.path == WATCHER_PATH:
            watcher.caller = msg.sender or ""
        elif (
            msg.message_type == MessageType.SIGNAL
            and msg.member == "NameOwnerChanged"
            and msg.sender == "org.freedesktop.DBus"
            and not msg.body[2]
        ):
            watcher.forget(msg.body[0])
        return False  # never consume: let dbus-fast dispatch as usual

    bus.add_message_handler(on_message)
    match = "type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged'"
    await call(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.AddMatch", "s", [match])

    host_name = f"org.kde.StatusNotifierHost-{os.getpid()}"
    for name in (NOTIFY_NAME, host_name, WATCHER_NAME):
        await own_name(bus, name)
    watcher.hosts.add(host_name)
    watcher.StatusNotifierHostRegistered()
    state.ready.touch()
    log(f"ready on {os.environ.get('DBUS_SESSION_BUS_ADDRESS', '?')}, state in {state.root}")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    stopped = asyncio.create_task(stop.wait())
    disconnected = asyncio.create_task(bus.wait_for_disconnect())  # type: ignore[no-untyped-call]
    await asyncio.wait({stopped, disconnected}, return_when=asyncio.FIRST_COMPLETED)
    state.ready.unlink(missing_ok=True)
    if not disconnected.done():
        bus.disconnect()
        await disconnected
    log("stopped")
    return 0


# --------------------------------------------------------------------------- client side


async def call(
    bus: MessageBus, dest: str, path: str, method: str, signature: str = "", body: list[Any] | None = None
) -> list[Any]:
    """Call `method` ("interface.Member") with a timeout; a D-Bus error reply raises DBusError."""
    iface, _, member = method.rpartition(".")
    msg = Message(destination=dest, path=path, interface=iface, member=member, signature=signature, body=body or [])
    reply = await asyncio.wait_for(bus.call(msg), CALL_TIMEOUT)
    assert reply is not None
    if reply.message_type == MessageType.ERROR:
        raise DBusError(reply.error_name or "error", str(reply.body[0]) if reply.body else "")
    return list(reply.body)


def to_json(value: Any) -> Any:
    """Unwrap variants recursively; byte arrays (icon pixmaps) become a short placeholder."""
    if isinstance(value, Variant):
        return to_json(value.value)
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def strip_mnemonic(label: str) -> str:
    """Drop GTK mnemonic underscores as a panel would: _Quit -> Quit, a__b -> a_b."""
    return re.sub(r"_(.)", r"\1", label)


def menu_node(layout: list[Any]) -> dict[str, Any]:
    """Flatten one dbusmenu (ia{sv}av) layout node, filling in the spec's defaults."""
    item_id, raw_props, children = layout
    props = {k: to_json(v) for k, v in raw_props.items()}
    return {
        "id": item_id,
        "label": strip_mnemonic(props.get("label", "")),
        "enabled": props.get("enabled", True),
        "visible": props.get("visible", True),
        "type": props.get("type", "standard"),
        "toggle-type": props.get("toggle-type", ""),
        "toggle-state": props.get("toggle-state", -1),
        "children": [menu_node(child.value) for child in children],
    }


async def list_items(bus: MessageBus, state: StateDir | None) -> list[Item]:
    """Registered items, from items.json when there is a state dir, else from the watcher."""
    if state is not None:
        return state.read_items()
    name = "RegisteredStatusNotifierItems"
    (value,) = await call(bus, WATCHER_NAME, WATCHER_PATH, f"{PROPS_IFACE}.Get", "ss", [WATCHER_NAME, name])
    return [parse_service(service, "") for service in value.value]


async def describe_item(bus: MessageBus, item: Item) -> dict[str, Any]:
    """All StatusNotifierItem properties of one item, plus its flattened menu."""
    result: dict[str, Any] = {"bus": item.bus, "path": item.path, "properties": {}, "menu": []}
    try:
        (props,) = await call(bus, item.bus, item.path, f"{PROPS_IFACE}.GetAll", "s", [ITEM_IFACE])
        result["properties"] = properties = {k: to_json(v) for k, v in sorted(props.items())}
        menu_path = properties.get("Menu")
        if menu_path and menu_path != "/":
            _revision, layout = await call(bus, item.bus, menu_path, f"{MENU_IFACE}.GetLayout", "iias", [0, -1, []])
            result["menu"] = menu_node(layout)["children"]
    except (DBusError, TimeoutError) as err:
        result["error"] = str(err) or type(err).__name__
    return result


async def snapshot(bus: MessageBus, state: StateDir | None) -> list[dict[str, Any]]:
    try:
        items = await list_items(bus, state)
    except (DBusError, TimeoutError):
        return []  # no watcher (yet)
    return [await describe_item(bus, item) for item in items]


def walk(menu: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every node of a flattened menu tree, depth first."""
    return [n for node in menu for n in [node, *walk(node["children"])]]


async def poll(
    bus: MessageBus, state: StateDir | None, wait: float, done: Callable[[list[dict[str, Any]]], bool]
) -> tuple[list[dict[str, Any]], bool]:
    """Take snapshots until `done(items)` holds or `wait` seconds pass; return the last one."""
    deadline = time.monotonic() + wait
    while True:
        items = await snapshot(bus, state)
        if done(items) or time.monotonic() >= deadline:
            return items, bool(done(items))
        await asyncio.sleep(0.25)


async def tray(state: StateDir | None, wait: float, label_regex: str | None) -> int:
    """Print {"items": [...]}; with --wait, fail unless an item (with a matching label) shows up."""
    pattern = re.compile(label_regex) if label_regex else None

    def done(items: list[dict[str, Any]]) -> bool:
        labels = [str(item["properties"].get("XAyatanaLabel", "")) for item in items if "error" not in item]
        return bool(labels) and (pattern is None or any(pattern.search(label) for label in labels))

    bus = await MessageBus(bus_type=BusType.SESSION).connect()
    items, ok = await poll(bus, state, wait, done)
    bus.disconnect()
    print(json.dumps({"items": items}, indent=2, ensure_ascii=False))
    if wait > 0 and not ok:
        if not items:
            log(f"no StatusNotifierItem registered within {wait:g}s")
        else:
            seen = [item["properties"].get("XAyatanaLabel") for item in items]
            log(f"no item's XAyatanaLabel matched {label_regex!r} within {wait:g}s (labels seen: {seen})")
        return 1
    return 0


async def tray_click(state: StateDir | None, wait: float, label: str) -> int:
    """Send dbusmenu Event(id, "clicked", 0, now) to the one enabled, visible item labelled `label`."""

    def matches(items: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return [(item, node) for item in items for node in walk(item["menu"]) if node["label"] == label]

    def clickable(items: list[dict[str, Any]]) -> bool:
        return any(node["enabled"] and node["visible"] for _item, node in matches(items))

    bus = await MessageBus(bus_type=BusType.SESSION).connect()
    try:
        items, ok = await poll(bus, state, wait, clickable)
        found = matches(items)
        if not ok:
            labels = [node["label"] for item in items for node in walk(item["menu"])]
            why = "is disabled or hidden" if found else f"not found (labels: {labels})"
            log(f"menu item {label!r} {why}")
            return 1
        targets = [(item, node) for item, node in found if node["enabled"] and node["visible"]]
        if len(targets) > 1:
            log(f"menu item {label!r} is ambiguous: {len(targets)} matches")
            return 1
        item, node = targets[0]
        menu_path = item["properties"]["Menu"]
        timestamp = int(time.time()) & 0xFFFFFFFF
        event = [node["id"], "clicked", Variant("i", 0), timestamp]
        await call(bus, item["bus"], menu_path, f"{MENU_IFACE}.Event", "isvu", event)
        print(json.dumps({"clicked": {"bus": item["bus"], "menu": menu_path, "id": node["id"], "label": label}}))
        return 0
    finally:
        bus.disconnect()


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    default_state = os.environ.get("CLAWTOWER_DESKTOP_STATE")
    for name, text in (
        ("serve", "run the fake watcher/host/notification daemon"),
        ("tray", "print registered tray items and their menus as JSON"),
        ("tray-click", "click a tray menu item by label"),
        ("notifications", "print recorded notifications as a JSON array"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--state-dir", default=default_state, help="default: $CLAWTOWER_DESKTOP_STATE")
        if name in ("tray", "tray-click"):
            cmd.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="poll until satisfied")
        if name == "tray":
            cmd.add_argument("--label-regex", metavar="RE", help="with --wait: also require a matching XAyatanaLabel")
        if name == "tray-click":
            cmd.add_argument("--label", required=True, help='menu label without mnemonic underscores, e.g. "Quit"')
    args = parser.parse_args(argv)

    state = StateDir(args.state_dir) if args.state_dir else None
    if state is None and args.command in ("serve", "notifications"):
        parser.error(f"{args.command} needs --state-dir or $CLAWTOWER_DESKTOP_STATE")
    if args.command == "serve":
        assert state is not None
        return asyncio.run(serve(state))
    if args.command == "notifications":
        assert state is not None
        print(json.dumps(state.read_notifications(), indent=2, ensure_ascii=False))
        return 0
    if args.command == "tray":
        return asyncio.run(tray(state, args.wait, args.label_regex))
    return asyncio.run(tray_click(state, args.wait, args.label))


if __name__ == "__main__":
    sys.exit(main())
