# Our own PowerShell script: ban addresses a hosting panel collected, then open the mail ports.
netsh ipsec static add policy name='Mail Server' assign=yes | Out-Null
& netsh ipsec static add filteraction name=Block action=block 2>$null
& netsh.exe ipsec static add filteraction name=Permit action=permit | Out-Null
netsh ipsec static add filter filterlist=Banned srcaddr=203.0.113.7 dstaddr=me | Out-Null
netsh ipsec static add filter filterlist=Banned srcaddr=198.51.100.0 srcmask=24 dstaddr=me | Out-Null
netsh ipsec static add filter filterlist=Banned srcaddr=2001:db8::66 dstaddr=me
netsh ipsec static add rule name=Banned policy='Mail Server' filterlist=Banned filteraction=Block | Out-Null
netsh ipsec static add filterlist name='Mail ports' description='SMTP, POP3 and IMAP'
netsh ipsec static add filter filterlist='Mail ports' srcaddr=any dstaddr=me protocol=tcp dstport=25
netsh ipsec static add filter filterlist='Mail ports' srcaddr=any dstaddr=me protocol=tcp dstport=110
netsh ipsec static add filter filterlist='Mail ports' srcaddr=any dstaddr=me protocol=tcp dstport=143
netsh ipsec static add rule name='Mail ports' policy='Mail Server' filterlist='Mail ports' filteraction=Permit conntype=lan
Write-Host 'done'
