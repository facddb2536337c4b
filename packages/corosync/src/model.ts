import { z } from "zod";
import {
  cipherSchema,
  flagSchema,
  hashSchema,
  intSchema,
  linkNumberSchema,
  nodeIdSchema,
  switchSchema,
  textSchema,
  transportSchema,
  uintSchema,
} from "./values.js";

const ms = uintSchema.optional();
const opt = <T extends z.ZodType<string>>(schema: T) => schema.optional();
const priority = z.enum(["alert", "crit", "debug", "emerg", "err", "info", "notice", "warning"]);

// syslog(3) facility names, as corosync maps them (an unknown one stops corosync).
const facility = z.enum([
  "auth",
  "authpriv",
  "cron",
  "daemon",
  "ftp",
  "kern",
  "lpr",
  "mail",
  "news",
  "syslog",
  "user",
  "uucp",
  ...(["0", "1", "2", "3", "4", "5", "6", "7"] as const).map((n) => `local${n}` as const),
]);

const loggingShape = {
  timestamp: opt(z.enum(["on", "off", "hires"])),
  fileline: opt(switchSchema),
  function_name: opt(switchSchema),
  blackbox: opt(switchSchema),
  to_stderr: opt(switchSchema),
  to_logfile: opt(switchSchema),
  to_syslog: opt(switchSchema),
  logfile: opt(textSchema),
  logfile_priority: opt(priority),
  syslog_facility: opt(facility),
  syslog_priority: opt(priority),
  debug: opt(z.enum(["on", "off", "trace"])),
};

/** `totem.interface` (one per link): link number and knet or legacy udp options. */
export const interfaceSchema = z.object({
  linknumber: opt(linkNumberSchema),
  ringnumber: opt(linkNumberSchema),
  knet_link_priority: opt(
    uintSchema.refine((v) => Number(v) <= 255, "expected a priority from 0 to 255"),
  ),
  knet_ping_interval: ms,
  knet_ping_timeout: ms,
  knet_ping_precision: opt(uintSchema),
  knet_pong_count: opt(uintSchema),
  knet_transport: opt(z.enum(["udp", "sctp"])),
  bindnetaddr: opt(textSchema),
  broadcast: opt(switchSchema),
  mcastaddr: opt(textSchema),
  mcastport: opt(uintSchema),
  ttl: opt(uintSchema),
});

/** The `totem` section: protocol version, transport, crypto and timeouts. */
export const totemSchema = z.object({
  version: opt(z.literal("2", { error: "the only valid totem version is 2" })),
  cluster_name: opt(textSchema),
  transport: opt(transportSchema),
  crypto_cipher: opt(cipherSchema),
  crypto_hash: opt(hashSchema),
  crypto_model: opt(z.enum(["nss", "openssl", "gcrypt"])),
  secauth: opt(switchSchema),
  keyfile: opt(textSchema),
  key: opt(textSchema),
  link_mode: opt(z.enum(["passive", "active", "rr"])),
  ip_version: opt(z.enum(["ipv4", "ipv6", "ipv4-6", "ipv6-4"])),
  clear_node_high_bit: opt(switchSchema),
  netmtu: opt(uintSchema),
  config_version: opt(uintSchema),
  knet_compression_model: opt(
    z.enum(["none", "zlib", "lz4", "lz4hc", "lzo2", "lzma", "bzip2", "zstd"]),
  ),
  knet_compression_threshold: opt(uintSchema),
  knet_compression_level: opt(intSchema),
  knet_pmtud_interval: opt(uintSchema),
  knet_mtu: opt(uintSchema),
  block_unlisted_ips: opt(switchSchema),
  cancel_token_hold_on_retransmit: opt(switchSchema),
  token: ms,
  token_warning: ms,
  token_coefficient: ms,
  token_retransmit: ms,
  hold: ms,
  token_retransmits_before_loss_const: ms,
  join: ms,
  send_join: ms,
  consensus: ms,
  merge: ms,
  downcheck: ms,
  fail_recv_const: ms,
  seqno_unchanged_const: ms,
  heartbeat_failures_allowed: ms,
  max_network_delay: ms,
  window_size: ms,
  max_messages: ms,
  miss_count_const: ms,
  rrp_mode: opt(textSchema),
  threads: opt(uintSchema),
  vsftype: opt(textSchema),
  nodeid: opt(uintSchema),
  interface: z.array(interfaceSchema).optional(),
});

/** One `nodelist.node`: its name, id and one address per link (ring0_addr..ring7_addr). */
export const nodeSchema = z.object({
  name: opt(textSchema),
  nodeid: opt(nodeIdSchema),
  quorum_votes: opt(uintSchema),
  ring0_addr: opt(textSchema),
  ring1_addr: opt(textSchema),
  ring2_addr: opt(textSchema),
  ring3_addr: opt(textSchema),
  ring4_addr: opt(textSchema),
  ring5_addr: opt(textSchema),
  ring6_addr: opt(textSchema),
  ring7_addr: opt(textSchema),
});

/** The `quorum` section (`votequorum(5)`). */
export const quorumSchema = z.object({
  provider: opt(z.enum(["corosync_votequorum"])),
  expected_votes: opt(uintSchema),
  votes: opt(uintSchema),
  two_node: opt(flagSchema),
  wait_for_all: opt(flagSchema),
  last_man_standing: opt(flagSchema),
  last_man_standing_window: ms,
  auto_tie_breaker: opt(flagSchema),
  auto_tie_breaker_node: opt(
    z.string().regex(/^(lowest|highest|\d+( \d+)*)$/, "expected lowest, highest or node ids"),
  ),
  allow_downscale: opt(flagSchema),
  expected_votes_tracking: opt(flagSchema),
  device: z.record(z.string(), z.unknown()).optional(),
});

/** The `logging` section, with per-subsystem `logger_subsys` overrides. */
export const loggingSchema = z.object({
  ...loggingShape,
  logger_subsys: z.array(z.object({ ...loggingShape, subsys: opt(textSchema) })).optional(),
});

/** The `system` section: scheduling, IPC and state directory. */
export const systemSchema = z.object({
  qb_ipc_type: opt(z.enum(["native", "shm", "socket"])),
  sched_rr: opt(switchSchema),
  priority: opt(z.string().regex(/^(max|min|-?\d+)$/, "expected max, min or a nice value")),
  move_to_root_cgroup: opt(z.enum(["yes", "no", "auto"])),
  allow_knet_handle_fallback: opt(switchSchema),
  state_dir: opt(textSchema),
});

/** The `nozzle` section: a pseudo network device routed over knet. */
export const nozzleSchema = z.object({
  name: opt(textSchema),
  ipaddr: opt(textSchema),
  ipprefix: opt(uintSchema),
  macaddr: opt(textSchema),
});

/** A whole corosync 3 configuration as typed data (values stay strings, as corosync reads them). */
export const corosyncConfigSchema = z.object({
  totem: totemSchema.optional(),
  nodelist: z.object({ node: z.array(nodeSchema).optional() }).optional(),
  quorum: quorumSchema.optional(),
  logging: loggingSchema.optional(),
  system: systemSchema.optional(),
  resources: z.record(z.string(), z.unknown()).optional(),
  nozzle: nozzleSchema.optional(),
  uidgid: z.object({ uid: opt(textSchema), gid: opt(textSchema) }).optional(),
});

/** A corosync 3 configuration as typed data; see {@link corosyncConfigSchema}. */
export type CorosyncConfig = z.infer<typeof corosyncConfigSchema>;
/** One `nodelist.node`. */
export type CorosyncNode = z.infer<typeof nodeSchema>;

/** Subsections that may repeat and therefore map to arrays in {@link CorosyncConfig}. */
export const repeatedSections = new Set([
  "totem.interface",
  "nodelist.node",
  "logging.logger_subsys",
]);

/** Keys corosync 2 knew and corosync 3 ignores or replaced, with the advice to give. */
export const legacyKeys: Record<string, string> = {
  "totem.secauth":
    "secauth is a corosync 2 key; corosync 3 uses crypto_cipher and crypto_hash (knet only)",
  "totem.rrp_mode": "rrp_mode was removed in corosync 3; use link_mode (passive, active or rr)",
  "totem.threads": "threads was removed in corosync 3 and is ignored",
  "totem.vsftype": "vsftype was removed in corosync 3 and is ignored",
  "totem.nodeid": "totem.nodeid is a corosync 2 key; set nodeid in each nodelist.node",
  "totem.interface.ringnumber": "ringnumber is a corosync 2 key; corosync 3 uses linknumber",
  "totem.interface.member": "interface.member was removed in corosync 3; list nodes in nodelist",
};
