// Expand every event of an .ics file with Mozilla's ical.js, as a second, independent parser.
//
// Usage: node tests/ical/expand.mjs FILE FROM TO
//   FROM, TO: ISO instants (e.g. 2026-11-23T00:00:00Z); occurrences starting in [FROM, TO).
// Prints JSON {occurrences: [{uid, start, end, status, summary, recurrence_id}],
// masters: {uid: {location, description, conferences: [{value, type, feature, label}]}}}
// with UTC instants written as "YYYY-MM-DDTHH:MM:SSZ". Exits 2 on a TZID that the file
// does not define: ical.js must see only the VTIMEZONEs embedded in the file, since that
// is all a client that does not know IANA names (Outlook, Thunderbird) has to go on.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, fromArg, toArg] = process.argv.slice(2);
if (!file || !fromArg || !toArg) {
  console.error("usage: expand.mjs FILE FROM TO");
  process.exit(64);
}
const from = Date.parse(fromArg);
const to = Date.parse(toArg);
if (Number.isNaN(from) || Number.isNaN(to)) {
  console.error(`bad FROM/TO: ${fromArg} ${toArg}`);
  process.exit(64);
}

const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));

// Start from an empty registry (UTC only) and add just the embedded zones.
ICAL.TimezoneService.reset();
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}

function checkZone(property, uid) {
  if (!property) return;
  const tzid = property.getParameter("tzid");
  const value = property.getFirstValue();
  if (tzid && (!ICAL.TimezoneService.has(tzid) || value.zone?.tzid !== tzid)) {
    console.error(`${uid}: ${property.name} TZID=${tzid} has no embedded VTIMEZONE`);
    process.exit(2);
  }
}

const utc = (time) => new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");

const masters = new Map();
const exceptions = [];
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const uid = vevent.getFirstPropertyValue("uid");
  for (const name of ["dtstart", "dtend", "recurrence-id"]) {
    checkZone(vevent.getFirstProperty(name), uid);
  }
  // Pass `exceptions` explicitly: without it ical.js 2.2.1 relates *every* RECURRENCE-ID
  // VEVENT of the calendar to each master, whatever its UID, keyed by local time only.
  const event = new ICAL.Event(vevent, { strictExceptions: true, exceptions: [] });
  if (event.isRecurrenceException()) exceptions.push(event);
  else masters.set(uid, event);
}
for (const exception of exceptions) {
  const master = masters.get(exception.uid);
  if (!master) {
    console.error(`${exception.uid}: RECURRENCE-ID override without a master`);
    process.exit(3);
  }
  master.relateException(exception);
}

const out = { occurrences: [], masters: {} };
for (const [uid, event] of masters) {
  out.masters[uid] = {
    location: event.location ?? null,
    description: event.description ?? null,
    conferences: event.component.getAllProperties("conference").map((p) => ({
      value: p.getFirstValue(),
      type: p.type,
      feature: p.getParameter("feature") ?? null,
      label: p.getParameter("label") ?? null,
    })),
  };
  const occurrences = event.isRecurring()
    ? (function* () {
        const iterator = event.iterator();
        for (let next = iterator.next(); next; next = iterator.next()) {
          if (next.toUnixTime() * 1000 >= to) return;
          yield next;
        }
      })()
    : [event.startDate];
  for (const time of occurrences) {
    const details = event.getOccurrenceDetails(time);
    const start = details.startDate.toUnixTime() * 1000;
    if (start < from || start >= to) continue;
    const item = details.item;
    out.occurrences.push({
      uid,
      start: utc(details.startDate),
      end: utc(details.endDate),
      status: item.component.getFirstPropertyValue("status"),
      summary: item.summary,
      recurrence_id: utc(details.recurrenceId),
    });
  }
}
process.stdout.write(JSON.stringify(out));
