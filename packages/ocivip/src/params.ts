import { ocfParam } from "@ocfkit/ocf";
import * as z from "zod/mini";
import { DEFAULT_CLOUD_CHECK_INTERVAL } from "./runtime/rules.js";

const cloudCheckLongdesc = [
  "Depth-0 monitors always check the local address (no API call, so probes are instant) and ask the",
  "OCI API whether the IP is still on this node's VNIC at most once per this many seconds; depth-10",
  "monitors (OCF_CHECK_LEVEL=10) ask every time. 0 = every monitor. The default, 60, keeps each node",
  "to one VirtualNetwork request a minute (far below OCI's request limits) while an IP moved behind",
  "Pacemaker's back, e.g. from the console, is noticed within a minute plus the monitor interval.",
  "Only Pacemaker moves the IP in normal operation, and it does so through this agent.",
].join(" ");

const endpoint = (what: string, replaces: string) =>
  ocfParam(z.optional(z.string()), {
    shortdesc: `${what} URL`,
    longdesc: `${what} base URL, replacing ${replaces} (private endpoints, other realms, an emulator). Empty: the real OCI endpoint.`,
    reloadable: true,
  });

/** The agent's parameters: a compatible superset of the shell `ocivip` agent's. */
export const ocivipParameters = z.object({
  secondary_private_ip: ocfParam(z.string(), {
    shortdesc: "Floating secondary private IP (IPv4 or IPv6)",
    longdesc:
      "The secondary private IP that follows the active node: assigned to this node's VNIC in OCI and added to the matching host interface.",
    required: true,
    unique: true,
  }),
  cidr_netmask: ocfParam(z.optional(z.int()), {
    shortdesc: "Prefix length of the local address",
    longdesc:
      "Prefix length (e.g. 24) used for the local address. Default: the prefix of the VNIC's subnet, as OCI reports it (the shell agent assumed 24).",
  }),
  interface_alias: ocfParam(z._default(z.string(), "0"), {
    shortdesc: "IPv4 label suffix",
    longdesc:
      "Suffix of the IPv4 address label (<interface>:<suffix>, e.g. ens3:0). Labels longer than the kernel's 15 characters are left out rather than failing; IPv6 addresses carry no label. Set to none for no label.",
  }),
  interface: ocfParam(z.optional(z.string()), {
    shortdesc: "Host interface",
    longdesc:
      "Network device the address is added to. Default: the device whose MAC address is the VNIC's (not the default route's interface).",
  }),
  vnic_id: ocfParam(z.optional(z.string()), {
    shortdesc: "VNIC OCID",
    longdesc:
      "OCID of the VNIC that receives the IP. Default: this instance's VNIC whose subnet contains the IP. Mutually exclusive with mac and nic_index.",
  }),
  mac: ocfParam(z.optional(z.string()), {
    shortdesc: "VNIC MAC address",
    longdesc: "Select this instance's VNIC by MAC address (e.g. 02:00:17:00:00:11).",
  }),
  nic_index: ocfParam(z.optional(z.int()), {
    shortdesc: "Physical NIC index of the VNIC",
    longdesc:
      "Select this instance's VNIC by OCI's nicIndex: the physical NIC (0 or 1) on bare metal shapes, where several VNICs share a NIC. VMs have one NIC, 0. Among the VNICs on that NIC, the one whose subnet contains secondary_private_ip is used.",
  }),
  auth: ocfParam(
    z._default(
      z.enum(["instance_principal", "config_file", "resource_principal"]),
      "instance_principal",
    ),
    {
      shortdesc: "OCI authentication",
      longdesc:
        "instance_principal (the instance's own identity, through a dynamic group and policy), config_file (an API key in an OCI config file, see config_file and profile) or resource_principal.",
      reloadable: true,
    },
  ),
  config_file: ocfParam(z.optional(z.string()), {
    shortdesc: "OCI config file",
    longdesc:
      "Path of the OCI config file for auth=config_file. Default: ~/.oci/config of the user running the agent (root).",
    reloadable: true,
  }),
  profile: ocfParam(z._default(z.string(), "DEFAULT"), {
    shortdesc: "Profile in the OCI config file",
    reloadable: true,
  }),
  region: ocfParam(z.optional(z.string()), {
    shortdesc: "OCI region",
    longdesc:
      "Region identifier (e.g. us-ashburn-1). Default: the instance's region from the metadata service, or the config file's.",
    reloadable: true,
  }),
  metadata_endpoint: endpoint("Instance metadata service v2", "http://169.254.169.254/opc/v2/"),
  federation_endpoint: endpoint(
    "Instance principal federation",
    "https://auth.<region>.oraclecloud.com",
  ),
  api_endpoint: endpoint("VirtualNetwork API", "https://iaas.<region>.oraclecloud.com"),
  announce_count: ocfParam(z._default(z.int(), 1), {
    shortdesc: "Gratuitous ARP / neighbour advertisements after start",
    longdesc:
      "How many announcements to send after adding the address, 200 ms apart (0 = none), by a sender started in the background (start does not wait for it; a sender that cannot be started is logged as a warning). OCI's virtual network answers ARP from the API's assignment, so one is enough to refresh neighbours' caches.",
    reloadable: true,
  }),
  cloud_check_interval: ocfParam(z._default(z.int(), DEFAULT_CLOUD_CHECK_INTERVAL), {
    shortdesc: "Seconds between cloud checks in depth-0 monitors",
    longdesc: cloudCheckLongdesc,
    reloadable: true,
  }),
  warm_standby: ocfParam(z._default(z.boolean(), true), {
    shortdesc: "Keep a standby node ready to take the IP over",
    longdesc:
      "When a monitor finds the IP not running on this node (the probe every node runs, or an op monitor role=Stopped), make ready in the background, with read-only calls, what a takeover needs: the instance metadata, the subnet facts and an instance-principal session, cached in HA_RSCTMP. A failover start then makes only the requests that move the IP. Sessions last 20 minutes: add op monitor role=Stopped (e.g. interval=120s) to keep a long-idle standby's session renewed.",
    reloadable: true,
  }),
  release_on_stop: ocfParam(z._default(z.boolean(), false), {
    shortdesc: "Delete the IP in OCI on stop",
    longdesc:
      "false (default): stop removes the local address and leaves the private IP assigned to this node's VNIC in OCI; the next start, here or on another node, moves it (UpdatePrivateIp), which keeps its OCID, so a reserved public IP and route rules that target the private IP follow the floating IP. true: stop also deletes the private IP in OCI (the shell agent's behaviour); OCI then unassigns its reserved public IP, deletes an ephemeral one and blackholes route rules that target it, and the next start creates a private IP with a new OCID. Trade-off of false: while the resource is stopped everywhere, OCI still routes the IP to the last node's VNIC (where nothing answers), and the IP stays taken in the subnet.",
    reloadable: true,
  }),
  api_delay: ocfParam(z.optional(z.int()), {
    shortdesc: "Deprecated: ignored",
    longdesc:
      "Ignored. The shell agent slept this many seconds after every call; this agent waits until the API confirms each change instead, within the action's timeout.",
    deprecated: { desc: "ocivip confirms every change with the API instead of sleeping" },
    reloadable: true,
  }),
  ocicli: ocfParam(z.optional(z.string()), {
    shortdesc: "Deprecated: ignored",
    longdesc:
      "Ignored. The shell agent ran the OCI CLI; this agent talks to the API itself. Use auth (and config_file/profile) to choose credentials.",
    deprecated: { replacedWith: ["auth", "config_file", "profile"] },
    reloadable: true,
  }),
});

/** Parameter values after parsing `OCF_RESKEY_*`. */
export type OcivipParameters = z.infer<typeof ocivipParameters>;
