/** LINKTYPE_* values (the low 16 bits of the capture's link type) and their names. */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
/** DLT_RAW as some platforms write it in the file (12 on most BSDs, 14 on OpenBSD), and 101. */
export const LINKTYPE_RAW = [12, 14, 101] as const;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;
export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;

export const LINKTYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'NULL/Loopback'],
  [1, 'Ethernet'],
  [12, 'Raw IP'],
  [14, 'Raw IP'],
  [101, 'Raw IP'],
  [105, 'IEEE 802.11 Wireless LAN'],
  [127, 'IEEE 802.11 plus radiotap radio header'],
  [228, 'Raw IPv4'],
  [229, 'Raw IPv6'],
  [113, 'Linux cooked-mode capture v1'],
  [276, 'Linux cooked-mode capture v2'],
]);
