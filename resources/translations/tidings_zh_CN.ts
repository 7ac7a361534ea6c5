<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AddFriendDialog</name>
    <message>
        <source>The note is at most 120 bytes and the remark 96 (a Chinese character takes 3).</source>
        <translation>附言最多 120 字节，备注最多 96 字节（一个汉字占 3 字节）。</translation>
    </message>
    <message>
        <source>That is your own ID.</source>
        <translation>这是你自己的 ID。</translation>
    </message>
    <message>
        <source>%1 is already in your friends.</source>
        <translation>%1 已经是你的好友。</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>No user has the ID “%1”.</source>
        <translation>没有 ID 为“%1”的用户。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Add friend</source>
        <translation>添加好友</translation>
    </message>
    <message>
        <source>Add a friend</source>
        <translation>添加好友</translation>
    </message>
    <message>
        <source>Enter their user ID. Depending on their settings they are added at once, or they get your request to accept.</source>
        <translation>输入对方的用户 ID。根据对方的设置，会直接添加，或由对方确认你的请求。</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>用户 ID</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>附言</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>e.g. alice</source>
        <translation>例如 alice</translation>
    </message>
    <message>
        <source>A word to them (optional)</source>
        <translation>想对对方说的话（可选）</translation>
    </message>
    <message>
        <source>The name you see for them (optional)</source>
        <translation>你看到的对方名字（可选）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
</context>
<context>
    <name>ApplicationsView</name>
    <message>
        <source>Accept</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>No requests to join</source>
        <translation>暂无入群申请</translation>
    </message>
    <message>
        <source>When someone asks to join this group, you decide here.</source>
        <translation>有人申请加入本群时，在这里处理。</translation>
    </message>
    <message>
        <source>When someone asks to join a group you own or administer, the request shows up here.</source>
        <translation>有人申请加入你是群主或管理员的群时，申请会显示在这里。</translation>
    </message>
</context>
<context>
    <name>BlockedUsersView</name>
    <message>
        <source>blocked %1</source>
        <translation>拉黑于 %1</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>移出黑名单</translation>
    </message>
    <message>
        <source>Blocked users</source>
        <translation>黑名单</translation>
    </message>
    <message>
        <source>They cannot message you or send you friend requests.</source>
        <translation>他们无法给你发消息，也无法向你发送好友申请。</translation>
    </message>
    <message>
        <source>You block nobody.
Block someone from their profile.</source>
        <translation>黑名单是空的。
可以在对方的资料卡中将其加入黑名单。</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>The message was edited on another device meanwhile; your change was not saved.</source>
        <translation>这条消息已在其他设备上被编辑，你的修改未保存。</translation>
    </message>
    <message>
        <source>The message was recalled and can no longer be edited.</source>
        <translation>这条消息已撤回，无法再编辑。</translation>
    </message>
    <message>
        <source>You&apos;re offline: the message was not edited.</source>
        <translation>你已离线：消息未编辑。</translation>
    </message>
    <message>
        <source>The new text contains a word that is not allowed.</source>
        <translation>新内容包含不允许的词语。</translation>
    </message>
    <message>
        <source>The message could not be edited (%1).</source>
        <translation>消息无法编辑（%1）。</translation>
    </message>
    <message>
        <source>“%1” was not sent: %2</source>
        <translation>“%1”未发送：%2</translation>
    </message>
    <message>
        <source>The voice message was not sent: %1</source>
        <translation>语音消息未发送：%1</translation>
    </message>
    <message>
        <source>Pasted image %1</source>
        <translation>粘贴的图片 %1</translation>
    </message>
    <message>
        <source>The pasted picture could not be prepared for sending.</source>
        <translation>粘贴的图片无法准备发送。</translation>
    </message>
    <message>
        <source>The message was not sent: it contains a blocked word.</source>
        <translation>消息发送失败：内容包含敏感词。</translation>
    </message>
    <message>
        <source>The message was not sent: it is too long.</source>
        <translation>消息发送失败：内容过长。</translation>
    </message>
    <message>
        <source>The message was not sent: there is no such user.</source>
        <translation>消息发送失败：该用户不存在。</translation>
    </message>
    <message>
        <source>The message was not sent: you are blocked.</source>
        <translation>消息发送失败：对方已将你拉黑。</translation>
    </message>
    <message>
        <source>The message was not sent: you can only write to friends.</source>
        <translation>消息发送失败：只能给好友发消息。</translation>
    </message>
    <message>
        <source>The message could not be sent in time.</source>
        <translation>消息发送超时。</translation>
    </message>
    <message>
        <source>The message was not sent: you are signed out.</source>
        <translation>消息发送失败：你已退出登录。</translation>
    </message>
    <message>
        <source>The file was not sent: it is larger than the server accepts.</source>
        <translation>文件发送失败：超过了服务器允许的大小。</translation>
    </message>
    <message>
        <source>The message was not sent (%1).</source>
        <translation>消息发送失败（%1）。</translation>
    </message>
    <message>
        <source>it is not a picture this app can read</source>
        <translation>无法识别为图片</translation>
    </message>
    <message>
        <source>the picture has too many pixels; send it as a file</source>
        <translation>图片像素过多，请以文件形式发送</translation>
    </message>
    <message>
        <source>it is not a video this app can read; send it as a file</source>
        <translation>无法识别为视频，请以文件形式发送</translation>
    </message>
    <message>
        <source>it is larger than allowed for its kind</source>
        <translation>超过了该类型允许的大小</translation>
    </message>
    <message>
        <source>the file can&apos;t be read</source>
        <translation>无法读取文件</translation>
    </message>
    <message>
        <source>The message is too old to recall.</source>
        <translation>消息发送已超过可撤回的时间。</translation>
    </message>
    <message>
        <source>You&apos;re offline: the message was not recalled.</source>
        <translation>当前离线，消息未撤回。</translation>
    </message>
    <message>
        <source>The message could not be recalled (%1).</source>
        <translation>消息撤回失败（%1）。</translation>
    </message>
    <message>
        <source>Chat history of %1 and %2</source>
        <translation>%1和%2的聊天记录</translation>
    </message>
    <message>
        <source>[Chat history]</source>
        <translation>[聊天记录]</translation>
    </message>
    <message>
        <source>The messages could not be forwarded (%1).</source>
        <translation>消息转发失败（%1）。</translation>
    </message>
    <message>
        <source>Forwarded to %1.</source>
        <translation>已转发给 %1。</translation>
    </message>
    <message>
        <source>The message could not be deleted (%1).</source>
        <translation>消息删除失败（%1）。</translation>
    </message>
    <message>
        <source>The picture could not be copied.</source>
        <translation>图片复制失败。</translation>
    </message>
    <message>
        <source>The file could not be saved (%1).</source>
        <translation>文件保存失败（%1）。</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
    <message>
        <source>The file could not be downloaded (%1).</source>
        <translation>文件下载失败（%1）。</translation>
    </message>
</context>
<context>
    <name>ChatHeader</name>
    <message>
        <source>typing…</source>
        <translation>正在输入…</translation>
    </message>
</context>
<context>
    <name>ChatMedia</name>
    <message>
        <source>The voice message could not be played</source>
        <translation>无法播放这条语音消息</translation>
    </message>
    <message>
        <source>The voice message could not be downloaded</source>
        <translation>无法下载这条语音消息</translation>
    </message>
    <message>
        <source>The video could not be downloaded</source>
        <translation>无法下载这个视频</translation>
    </message>
    <message>
        <source>The forwarded messages could not be downloaded</source>
        <translation>无法下载转发的聊天记录</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Copy link</source>
        <translation>复制链接</translation>
    </message>
    <message>
        <source>No chat selected</source>
        <translation>未选择聊天</translation>
    </message>
    <message>
        <source>Choose a conversation on the left, or start a new one.</source>
        <translation>从左侧选择一个聊天，或发起新的聊天。</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>发起聊天</translation>
    </message>
    <message>
        <source>Group info and members</source>
        <translation>群资料和成员</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>The server&apos;s data was restored from an earlier copy; history was reloaded.</source>
        <translation>服务器数据已恢复为较早的副本，聊天记录已重新加载。</translation>
    </message>
    <message>
        <source>Re-edit</source>
        <translation>重新编辑</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Forward…</source>
        <translation>转发…</translation>
    </message>
    <message>
        <source>Select</source>
        <translation>多选</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <source>Delete for me</source>
        <translation>仅为我删除</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <source>Reply to %1</source>
        <translation>回复 %1</translation>
    </message>
    <message>
        <source>Editing</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <source>Send photos or videos</source>
        <translation>发送图片或视频</translation>
    </message>
    <message>
        <source>Send files</source>
        <translation>发送文件</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
    <message>
        <source>Photos and videos</source>
        <translation>图片和视频</translation>
    </message>
    <message>
        <source>Write a message…</source>
        <translation>输入消息…</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Attach photos, videos or files</source>
        <translation>添加图片、视频或文件</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Photo or video</source>
        <translation>图片或视频</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Emoji</source>
        <translation>表情</translation>
    </message>
    <message>
        <source>Record a voice message</source>
        <translation>录制语音消息</translation>
    </message>
    <message>
        <source>Don&apos;t reply</source>
        <translation>取消回复</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save the edited message</source>
        <translation>保存编辑后的消息</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <source>No friend matches “%1”.</source>
        <translation>没有与“%1”匹配的好友。</translation>
    </message>
    <message>
        <source>No friends yet.
Add one by their user ID.</source>
        <translation>还没有好友。
可以通过用户 ID 添加。</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Add friend</source>
        <translation>添加好友</translation>
    </message>
    <message>
        <source>Search friends</source>
        <translation>搜索好友</translation>
    </message>
    <message>
        <source>New friends</source>
        <translation>新的朋友</translation>
    </message>
    <message>
        <source>Blocked users</source>
        <translation>黑名单</translation>
    </message>
    <message>
        <source>Choose a friend to see their profile.</source>
        <translation>选择一位好友查看其资料。</translation>
    </message>
</context>
<context>
    <name>ControlBar</name>
    <message>
        <source>Pause (Space)</source>
        <translation>暂停（空格）</translation>
    </message>
    <message>
        <source>Play (Space)</source>
        <translation>播放（空格）</translation>
    </message>
    <message>
        <source>This video has no sound</source>
        <translation>这个视频没有声音</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>取消静音</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
</context>
<context>
    <name>ConversationListPane</name>
    <message>
        <source>No chats match “%1”.</source>
        <translation>没有找到与“%1”相关的聊天。</translation>
    </message>
    <message>
        <source>Search looks at names and user IDs.</source>
        <translation>搜索会查找名称和用户 ID。</translation>
    </message>
    <message>
        <source>No chats yet</source>
        <translation>还没有聊天</translation>
    </message>
    <message>
        <source>Start one with New chat (%1).</source>
        <translation>点击“发起聊天”（%1）开始聊天。</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>标为已读</translation>
    </message>
    <message>
        <source>Mark all chats as read</source>
        <translation>全部标为已读</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <source>Pin to top</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Delete chat</source>
        <translation>删除聊天</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>消息通知</translation>
    </message>
    <message>
        <source>Notify me</source>
        <translation>接收并提醒</translation>
    </message>
    <message>
        <source>Don&apos;t notify, show a dot</source>
        <translation>接收但不提醒（显示小红点）</translation>
    </message>
    <message>
        <source>Don&apos;t receive</source>
        <translation>不接收消息</translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>发起聊天</translation>
    </message>
</context>
<context>
    <name>CreateGroupDialog</name>
    <message>
        <source>The name is too long: at most %1 bytes (about %2 Chinese characters).</source>
        <translation>群名称太长：最多 %1 字节（约 %2 个汉字）。</translation>
    </message>
    <message>
        <source>A group ID is up to 48 letters, digits and symbols without spaces, and may not start with %1.</source>
        <translation>群 ID 最多 48 个字母、数字或符号，不能有空格，也不能以 %1 开头。</translation>
    </message>
    <message>
        <source>The introduction is too long: at most %1 bytes.</source>
        <translation>群简介太长：最多 %1 字节。</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>新建群聊</translation>
    </message>
    <message>
        <source>Create a group</source>
        <translation>创建群聊</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>群名称</translation>
    </message>
    <message>
        <source>Group ID (optional; made up if empty)</source>
        <translation>群 ID（可选，留空则自动生成）</translation>
    </message>
    <message>
        <source>Introduction (optional)</source>
        <translation>群简介（可选）</translation>
    </message>
    <message>
        <source>Choose a picture</source>
        <translation>选择头像</translation>
    </message>
    <message>
        <source>Who can join</source>
        <translation>加群方式</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>A live chat room starts empty: people join it with its ID.</source>
        <translation>直播群创建时没有成员：大家通过群 ID 加入。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
</context>
<context>
    <name>DemoBanner</name>
    <message>
        <source>This is the demo.</source>
        <translation>这是演示。</translation>
    </message>
    <message>
        <source>The people, chats and bot are sample data that stay on this computer; nothing you write leaves it.</source>
        <translation>其中的用户、聊天和机器人都是示例数据，只保存在这台电脑上；你写的内容不会发送出去。</translation>
    </message>
    <message>
        <source>Sign in for real</source>
        <translation>正式登录</translation>
    </message>
    <message>
        <source>Hide this notice</source>
        <translation>隐藏此提示</translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message>
        <source>Send as photos and videos</source>
        <translation>以图片和视频发送</translation>
    </message>
    <message>
        <source>Send as videos</source>
        <translation>以视频发送</translation>
    </message>
    <message>
        <source>Send as photos</source>
        <translation>以图片发送</translation>
    </message>
    <message>
        <source>Shown in the chat, pictures compressed</source>
        <translation>在聊天中直接显示，图片经过压缩</translation>
    </message>
    <message>
        <source>Send as files</source>
        <translation>以文件发送</translation>
    </message>
    <message>
        <source>Sent as they are, in full quality</source>
        <translation>按原样发送，保持原始画质</translation>
    </message>
    <message>
        <source>Drop files here to send them</source>
        <translation>将文件拖放到这里发送</translation>
    </message>
</context>
<context>
    <name>EmojiPicker</name>
    <message>
        <source>Recent</source>
        <translation>最近使用</translation>
    </message>
    <message>
        <source>Smileys &amp; people</source>
        <translation>笑脸与人物</translation>
    </message>
    <message>
        <source>Animals &amp; nature</source>
        <translation>动物与自然</translation>
    </message>
    <message>
        <source>Food &amp; drink</source>
        <translation>食物与饮料</translation>
    </message>
    <message>
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Travel &amp; places</source>
        <translation>旅行与地点</translation>
    </message>
    <message>
        <source>Objects</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>Symbols</source>
        <translation>符号</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>No emoji found</source>
        <translation>没有找到表情</translation>
    </message>
    <message>
        <source>Search emoji</source>
        <translation>搜索表情</translation>
    </message>
</context>
<context>
    <name>FacePicker</name>
    <message>
        <source>No picture: drawn from the members</source>
        <translation>不设头像：用成员头像拼成</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>No results</source>
        <translation>无结果</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>第 %1 个，共 %2 个</translation>
    </message>
    <message>
        <source>Find in this chat</source>
        <translation>在此聊天中查找</translation>
    </message>
    <message>
        <source>Older result (Enter)</source>
        <translation>较早的结果（Enter）</translation>
    </message>
    <message>
        <source>Newer result (Shift+Enter)</source>
        <translation>较新的结果（Shift+Enter）</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>[Custom message]</source>
        <translation>[自定义消息]</translation>
    </message>
    <message>
        <source>A message was recalled</source>
        <translation>消息已撤回</translation>
    </message>
    <message>
        <source>[Image]</source>
        <translation>[图片]</translation>
    </message>
    <message>
        <source>[Voice]</source>
        <translation>[语音]</translation>
    </message>
    <message>
        <source>[Video]</source>
        <translation>[视频]</translation>
    </message>
    <message>
        <source>[File]</source>
        <translation>[文件]</translation>
    </message>
    <message>
        <source>[Location]</source>
        <translation>[位置]</translation>
    </message>
    <message>
        <source>[Sticker]</source>
        <translation>[表情]</translation>
    </message>
    <message>
        <source>[Chat history]</source>
        <translation>[聊天记录]</translation>
    </message>
    <message>
        <source>[Group notice]</source>
        <translation>[群通知]</translation>
    </message>
    <message>
        <source>[Message]</source>
        <translation>[消息]</translation>
    </message>
    <message>
        <source>[@me]</source>
        <translation>[有人@我]</translation>
    </message>
    <message>
        <source>[@all]</source>
        <translation>[@所有人]</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>[Draft]</source>
        <translation>[草稿]</translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <source>Forward</source>
        <translation>转发</translation>
    </message>
    <message>
        <source>Forward to %1 chats</source>
        <translation>转发给 %1 个聊天</translation>
    </message>
    <message>
        <source>No chats match your search</source>
        <translation>没有匹配的聊天</translation>
    </message>
    <message>
        <source>No chats yet</source>
        <translation>还没有聊天</translation>
    </message>
    <message>
        <source>Forward a message</source>
        <translation>转发消息</translation>
    </message>
    <message>
        <source>Forward %1 messages</source>
        <translation>转发 %1 条消息</translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>搜索聊天</translation>
    </message>
    <message>
        <source>One by one</source>
        <translation>逐条转发</translation>
    </message>
    <message>
        <source>As a merged chat history</source>
        <translation>合并转发</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>FriendGroupActions</name>
    <message>
        <source>New group with %1…</source>
        <translation>新建分组并加入 %1…</translation>
    </message>
    <message>
        <source>Rename group…</source>
        <translation>重命名分组…</translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation>删除分组</translation>
    </message>
    <message>
        <source>New friend group</source>
        <translation>新建好友分组</translation>
    </message>
    <message>
        <source>A name for the group; %1 goes in it.</source>
        <translation>输入分组名称，%1 将加入该分组。</translation>
    </message>
    <message>
        <source>New group…</source>
        <translation>新建分组…</translation>
    </message>
    <message>
        <source>A name for the group:</source>
        <translation>输入分组名称：</translation>
    </message>
    <message>
        <source>Rename group</source>
        <translation>重命名分组</translation>
    </message>
    <message>
        <source>A new name for “%1”:</source>
        <translation>“%1”的新名称：</translation>
    </message>
    <message>
        <source>Delete the group “%1”?</source>
        <translation>要删除分组“%1”吗？</translation>
    </message>
    <message>
        <source>The friends in it stay your friends.</source>
        <translation>分组中的好友仍是你的好友。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>FriendRequestsView</name>
    <message>
        <source>That request is no longer there.</source>
        <translation>该请求已不存在。</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Accept and add back</source>
        <translation>同意并加为好友</translation>
    </message>
    <message>
        <source>You join their friends; they stay out of yours.</source>
        <translation>你会出现在对方的好友列表中，但对方不会加入你的好友列表。</translation>
    </message>
    <message>
        <source>waiting for them to accept</source>
        <translation>等待对方验证</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>New friends</source>
        <translation>新的朋友</translation>
    </message>
    <message>
        <source>Sent by you</source>
        <translation>我发出的请求</translation>
    </message>
    <message>
        <source>No friend requests</source>
        <translation>没有好友请求</translation>
    </message>
    <message>
        <source>When someone asks to be your friend, you decide here. Requests you send wait here too.</source>
        <translation>有人请求加你为好友时，在这里处理。你发出的请求也会在这里等待对方验证。</translation>
    </message>
</context>
<context>
    <name>FriendRowDelegate</name>
    <message>
        <source>My friends</source>
        <translation>我的好友</translation>
    </message>
</context>
<context>
    <name>FriendTexts</name>
    <message>
        <source>%1 is now in your friends.</source>
        <translation>%1 已成为你的好友。</translation>
    </message>
    <message>
        <source>Request sent. %1 will be in your friends once they accept it.</source>
        <translation>请求已发送。%1 同意后即成为你的好友。</translation>
    </message>
    <message>
        <source>%1 does not accept friend requests.</source>
        <translation>%1 不接受好友请求。</translation>
    </message>
    <message>
        <source>You have blocked %1. Unblock them first to add them.</source>
        <translation>你已将 %1 加入黑名单。请先移出黑名单再添加。</translation>
    </message>
    <message>
        <source>%1 does not accept requests from you.</source>
        <translation>%1 不接受你的好友请求。</translation>
    </message>
    <message>
        <source>Your friend list is full. Remove someone to add %1.</source>
        <translation>你的好友数量已达上限。删除一些好友后才能添加 %1。</translation>
    </message>
    <message>
        <source>%1&apos;s friend list is full.</source>
        <translation>%1 的好友数量已达上限。</translation>
    </message>
    <message>
        <source>%1 could not be added (error %2).</source>
        <translation>无法添加 %1（错误 %2）。</translation>
    </message>
    <message>
        <source>You are offline. Try again once connected.</source>
        <translation>你已离线。连接后请重试。</translation>
    </message>
    <message>
        <source>The server did not answer in time. Try again.</source>
        <translation>服务器未及时响应，请重试。</translation>
    </message>
    <message>
        <source>The server did not accept that: %1</source>
        <translation>服务器未接受：%1</translation>
    </message>
    <message>
        <source>The server refused: %1</source>
        <translation>服务器拒绝：%1</translation>
    </message>
    <message>
        <source>Saved on this device; it is sent when you are back online.</source>
        <translation>已保存在本设备上，恢复联网后发送。</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
</context>
<context>
    <name>GroupChat</name>
    <message>
        <source>1 member</source>
        <translation>1 位成员</translation>
    </message>
    <message>
        <source>%1 members</source>
        <translation>%1 位成员</translation>
    </message>
    <message>
        <source>You are not in this group</source>
        <translation>你已不在本群</translation>
    </message>
</context>
<context>
    <name>GroupMembersPane</name>
    <message>
        <source>No member matches “%1”.</source>
        <translation>没有与“%1”匹配的成员。</translation>
    </message>
    <message>
        <source>Nobody here with this role yet.</source>
        <translation>暂无此身份的成员。</translation>
    </message>
    <message>
        <source>View profile</source>
        <translation>查看资料</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>发消息</translation>
    </message>
    <message>
        <source>Copy user ID</source>
        <translation>复制用户 ID</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>禁言</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>解除禁言</translation>
    </message>
    <message>
        <source>Remove as admin</source>
        <translation>取消管理员</translation>
    </message>
    <message>
        <source>Make admin</source>
        <translation>设为管理员</translation>
    </message>
    <message>
        <source>Make owner…</source>
        <translation>转让群主…</translation>
    </message>
    <message>
        <source>Remove from group…</source>
        <translation>移出群聊…</translation>
    </message>
    <message numerus="yes">
        <source>For %n minutes</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>For %n hours</source>
        <translation>
            <numerusform>%n 小时</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>For %n days</source>
        <translation>
            <numerusform>%n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove member</source>
        <translation>移出成员</translation>
    </message>
    <message>
        <source>Remove %1 from the group?</source>
        <translation>将 %1 移出群聊？</translation>
    </message>
    <message>
        <source>They stop receiving its messages. They can come back only if invited or accepted again.</source>
        <translation>对方将不再收到本群消息，只有再次被邀请或通过申请才能回来。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Hand over the group</source>
        <translation>转让群主</translation>
    </message>
    <message>
        <source>Make %1 the owner of this group?</source>
        <translation>将群主转让给 %1？</translation>
    </message>
    <message>
        <source>You become an ordinary member and cannot undo this yourself.</source>
        <translation>你将成为普通成员，且无法自行撤销。</translation>
    </message>
    <message>
        <source>Make owner</source>
        <translation>转让</translation>
    </message>
    <message>
        <source>Search members</source>
        <translation>搜索成员</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Admins</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>普通成员</translation>
    </message>
</context>
<context>
    <name>GroupNameDialog</name>
    <message>
        <source>A group name is at most 30 bytes (a Chinese character takes 3).</source>
        <translation>分组名称最多 30 字节（一个汉字占 3 字节）。</translation>
    </message>
    <message>
        <source>You already have a group called “%1”.</source>
        <translation>已有名为“%1”的分组。</translation>
    </message>
</context>
<context>
    <name>GroupNotices</name>
    <message>
        <source>%1 accepted your request to join “%2”</source>
        <translation>%1 同意了你加入“%2”的申请</translation>
    </message>
    <message>
        <source>Your request to join “%2” was accepted</source>
        <translation>你加入“%2”的申请已通过</translation>
    </message>
    <message>
        <source>%1 declined your request to join “%2”</source>
        <translation>%1 拒绝了你加入“%2”的申请</translation>
    </message>
    <message>
        <source>Your request to join “%2” was declined</source>
        <translation>你加入“%2”的申请被拒绝</translation>
    </message>
    <message>
        <source>%1 removed you from “%2”</source>
        <translation>%1 将你移出了“%2”</translation>
    </message>
    <message>
        <source>You were removed from “%2”</source>
        <translation>你已被移出“%2”</translation>
    </message>
    <message>
        <source>%1 dismissed “%2”</source>
        <translation>%1 解散了“%2”</translation>
    </message>
    <message>
        <source>“%2” was dismissed</source>
        <translation>“%2”已解散</translation>
    </message>
    <message>
        <source>%1 added you to “%2”</source>
        <translation>%1 邀请你加入“%2”</translation>
    </message>
    <message>
        <source>You were added to “%2”</source>
        <translation>你已加入“%2”</translation>
    </message>
    <message>
        <source>%1 made you an admin of “%2”</source>
        <translation>%1 将你设为“%2”的管理员</translation>
    </message>
    <message>
        <source>You are now an admin of “%2”</source>
        <translation>你已成为“%2”的管理员</translation>
    </message>
    <message>
        <source>%1 removed you as an admin of “%2”</source>
        <translation>%1 取消了你在“%2”的管理员身份</translation>
    </message>
    <message>
        <source>You are no longer an admin of “%2”</source>
        <translation>你已不再是“%2”的管理员</translation>
    </message>
    <message>
        <source>A notice from “%2”</source>
        <translation>来自“%2”的通知</translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <translation>“%1”：%2</translation>
    </message>
    <message>
        <source>%1 (“%2”)</source>
        <translation>%1（“%2”）</translation>
    </message>
</context>
<context>
    <name>GroupPane</name>
    <message>
        <source>Dismiss group</source>
        <translation>解散群聊</translation>
    </message>
    <message>
        <source>Leave group</source>
        <translation>退出群聊</translation>
    </message>
    <message>
        <source>Requests (%1)</source>
        <translation>入群申请（%1）</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>入群申请</translation>
    </message>
    <message>
        <source>Members (%1)</source>
        <translation>成员（%1）</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>You are no longer a member of this group.</source>
        <translation>你已不是本群成员。</translation>
    </message>
    <message>
        <source>%1 is too long.</source>
        <translation>%1太长。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message numerus="yes">
        <source>Added %n people.</source>
        <translation>
            <numerusform>已添加 %n 人。</numerusform>
        </translation>
    </message>
    <message>
        <source>Dismiss “%1”?</source>
        <translation>解散“%1”？</translation>
    </message>
    <message>
        <source>The group is removed for all its members. This cannot be undone.</source>
        <translation>所有成员都将失去这个群，且无法恢复。</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>解散</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Leave “%1”?</source>
        <translation>退出“%1”？</translation>
    </message>
    <message>
        <source>You will stop receiving its messages. To come back you need to join or be invited again.</source>
        <translation>你将不再收到本群消息。要回来需要重新加入或被邀请。</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>发消息</translation>
    </message>
    <message>
        <source>Add members</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose a picture</source>
        <translation>选择头像</translation>
    </message>
    <message>
        <source>Group ID</source>
        <translation>群 ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>群名称</translation>
    </message>
    <message>
        <source>Introduction</source>
        <translation>群简介</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>群公告</translation>
    </message>
    <message>
        <source>Who can join</source>
        <translation>加群方式</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全员禁言</translation>
    </message>
    <message>
        <source>Mute all members</source>
        <translation>全员禁言</translation>
    </message>
    <message>
        <source>Only the owner and admins can send while it is on.</source>
        <translation>开启后只有群主和管理员可以发言。</translation>
    </message>
    <message>
        <source>Muted (only the owner and admins can send)</source>
        <translation type="vanished">开启（仅群主和管理员可发言）</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>资料</translation>
    </message>
</context>
<context>
    <name>GroupRowDelegate</name>
    <message>
        <source>you own it</source>
        <translation>你是群主</translation>
    </message>
    <message>
        <source>you are an admin</source>
        <translation>你是管理员</translation>
    </message>
    <message>
        <source>everyone muted</source>
        <translation>全员禁言中</translation>
    </message>
</context>
<context>
    <name>GroupTexts</name>
    <message>
        <source>Work</source>
        <translation>工作群</translation>
    </message>
    <message>
        <source>Public</source>
        <translation>公开群</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议群</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>直播群</translation>
    </message>
    <message>
        <source>Work group</source>
        <translation>好友工作群</translation>
    </message>
    <message>
        <source>Public group</source>
        <translation>陌生人社交群</translation>
    </message>
    <message>
        <source>Meeting group</source>
        <translation>临时会议群</translation>
    </message>
    <message>
        <source>Live chat room</source>
        <translation>直播群</translation>
    </message>
    <message>
        <source>Like a family or team chat: members add people directly, nobody can ask to join.</source>
        <translation>像家人或团队群：成员直接拉人进群，不能申请加入。</translation>
    </message>
    <message>
        <source>Found by its ID: people ask to join and the owner or an admin approves.</source>
        <translation>可按群 ID 搜到：申请加入，由群主或管理员审批。</translation>
    </message>
    <message>
        <source>Anyone with the ID joins at once and sees the messages sent before they joined.</source>
        <translation>知道群 ID 即可直接加入，并能看到入群前的消息。</translation>
    </message>
    <message>
        <source>For live streams: anyone joins at once, no member limit, no history is kept.</source>
        <translation>用于直播：任何人可直接加入，不限人数，不保存历史消息。</translation>
    </message>
    <message>
        <source>Ask to join, an admin approves</source>
        <translation>需申请，管理员审批</translation>
    </message>
    <message>
        <source>Anyone can join</source>
        <translation>任何人可直接加入</translation>
    </message>
    <message>
        <source>By invitation only</source>
        <translation>仅限邀请</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>群主</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>%n members</source>
        <translation>%n 位成员</translation>
    </message>
    <message>
        <source>You are offline. Try again once connected.</source>
        <translation>你已离线，连上网络后再试。</translation>
    </message>
    <message>
        <source>Your role in this group does not allow that.</source>
        <translation>你在本群的身份无权这样做。</translation>
    </message>
    <message>
        <source>The owner cannot leave this group: hand it over to a member or dismiss it.</source>
        <translation>群主不能退出本群：请先转让群主或解散群聊。</translation>
    </message>
    <message>
        <source>There is no group with this ID, or it was dismissed.</source>
        <translation>没有这个 ID 的群，或群已解散。</translation>
    </message>
    <message>
        <source>That person is not a member (any more).</source>
        <translation>对方不是（或已不是）群成员。</translation>
    </message>
    <message>
        <source>Already a member of this group.</source>
        <translation>已经是本群成员。</translation>
    </message>
    <message>
        <source>The group is full.</source>
        <translation>群成员已满。</translation>
    </message>
    <message>
        <source>A group ID is 1 to 48 letters, digits or symbols without spaces, and does not start with @TGS#.</source>
        <translation>群 ID 为 1 到 48 个字母、数字或符号，不能有空格，也不能以 @TGS# 开头。</translation>
    </message>
    <message>
        <source>There is no user with that ID.</source>
        <translation>没有这个 ID 的用户。</translation>
    </message>
    <message>
        <source>That group ID is taken: choose another or leave it empty.</source>
        <translation>这个群 ID 已被占用：换一个，或留空。</translation>
    </message>
    <message>
        <source>Another admin has already decided this request.</source>
        <translation>其他管理员已处理了这条申请。</translation>
    </message>
    <message>
        <source>This type of group does not allow that.</source>
        <translation>这种类型的群不支持此操作。</translation>
    </message>
    <message>
        <source>You own as many groups as allowed.</source>
        <translation>你创建的群已达上限。</translation>
    </message>
    <message>
        <source>A field is longer than allowed.</source>
        <translation>有内容超出了长度限制。</translation>
    </message>
    <message>
        <source>The server did not accept that.</source>
        <translation>服务器未接受此操作。</translation>
    </message>
    <message>
        <source>The server did not answer in time. Try again.</source>
        <translation>服务器响应超时，请重试。</translation>
    </message>
    <message>
        <source>The server refused: %1</source>
        <translation>服务器拒绝：%1</translation>
    </message>
    <message>
        <source>Saved on this device; it is sent when you are back online.</source>
        <translation>已保存在本机，恢复联网后发送。</translation>
    </message>
</context>
<context>
    <name>GroupTips</name>
    <message>
        <source>you</source>
        <translation>你</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>%1 and %2 others</source>
        <translation>%1 等 %2 人</translation>
    </message>
    <message>
        <source>%1 changed the group name to “%2”</source>
        <translation>%1 将群名称修改为“%2”</translation>
    </message>
    <message>
        <source>%1 changed the group introduction</source>
        <translation>%1 修改了群简介</translation>
    </message>
    <message>
        <source>%1 changed the group notice</source>
        <translation>%1 修改了群公告</translation>
    </message>
    <message>
        <source>%1 changed the group photo</source>
        <translation>%1 修改了群头像</translation>
    </message>
    <message>
        <source>%1 changed who may join</source>
        <translation>%1 修改了加群方式</translation>
    </message>
    <message>
        <source>%1 made %2 the owner</source>
        <translation>%1 将群主转让给 %2</translation>
    </message>
    <message>
        <source>%1 muted everyone</source>
        <translation>%1 开启了全员禁言</translation>
    </message>
    <message>
        <source>%1 unmuted everyone</source>
        <translation>%1 关闭了全员禁言</translation>
    </message>
    <message>
        <source>%1 changed the group settings</source>
        <translation>%1 修改了群设置</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>%1 joined the group</source>
        <translation>%1 加入了群聊</translation>
    </message>
    <message>
        <source>%1 invited %2</source>
        <translation>%1 邀请 %2 加入了群聊</translation>
    </message>
    <message>
        <source>%1 left the group</source>
        <translation>%1 退出了群聊</translation>
    </message>
    <message>
        <source>%1 was removed</source>
        <translation>%1 被移出了群聊</translation>
    </message>
    <message>
        <source>%1 removed %2</source>
        <translation>%1 将 %2 移出了群聊</translation>
    </message>
    <message>
        <source>%1 made %2 an admin</source>
        <translation>%1 将 %2 设为管理员</translation>
    </message>
    <message>
        <source>%1 is no longer an admin</source>
        <translation>%1 不再是管理员</translation>
    </message>
    <message>
        <source>%1 muted %2</source>
        <translation>%1 禁言了 %2</translation>
    </message>
    <message>
        <source>%1 unmuted %2</source>
        <translation>%1 解除了 %2 的禁言</translation>
    </message>
    <message>
        <source>An admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>%1 updated their group profile</source>
        <translation>%1 更新了群名片</translation>
    </message>
    <message>
        <source>The group changed</source>
        <translation>群资料已更新</translation>
    </message>
</context>
<context>
    <name>GroupsPage</name>
    <message>
        <source>No group matches “%1”.</source>
        <translation>没有与“%1”匹配的群。</translation>
    </message>
    <message>
        <source>You are not in any group yet.
Create one, or join one by its ID.</source>
        <translation>你还没有加入任何群。
新建一个，或按群 ID 加入。</translation>
    </message>
    <message>
        <source>Join requests  ·  %1</source>
        <translation>入群申请  ·  %1</translation>
    </message>
    <message>
        <source>Join requests</source>
        <translation>入群申请</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>群聊</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>新建群聊</translation>
    </message>
    <message>
        <source>Join group</source>
        <translation>加入群聊</translation>
    </message>
    <message>
        <source>Search groups</source>
        <translation>搜索群聊</translation>
    </message>
    <message>
        <source>Choose a group to see its members and settings.</source>
        <translation>选择一个群，查看成员和设置。</translation>
    </message>
</context>
<context>
    <name>InviteDialog</name>
    <message>
        <source>Not added (no such user, or the group is full): %1</source>
        <translation>未能添加（用户不存在或群已满）：%1</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add %1 people</source>
        <translation>添加 %1 人</translation>
    </message>
    <message>
        <source>Add members</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>already a member</source>
        <translation>已是成员</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>JoinGroupDialog</name>
    <message>
        <source>No group has the ID “%1”. Work groups cannot be found by ID: ask a member to add you.</source>
        <translation>没有 ID 为“%1”的群。工作群无法按 ID 搜到：请让群成员拉你进群。</translation>
    </message>
    <message>
        <source>Open group</source>
        <translation>打开群聊</translation>
    </message>
    <message>
        <source>Request sent</source>
        <translation>已发送申请</translation>
    </message>
    <message>
        <source>Ask to join</source>
        <translation>申请加入</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>加入</translation>
    </message>
    <message>
        <source>This group takes no requests to join.</source>
        <translation>这个群不接受入群申请。</translation>
    </message>
    <message>
        <source>Request sent. You will join once the owner or an admin accepts it.</source>
        <translation>申请已发送。群主或管理员同意后你就会入群。</translation>
    </message>
    <message>
        <source>Join group</source>
        <translation>加入群聊</translation>
    </message>
    <message>
        <source>Join a group</source>
        <translation>加入群聊</translation>
    </message>
    <message>
        <source>Enter the ID of a public, meeting or live group. Work groups are joined by invitation.</source>
        <translation>输入公开群、会议群或直播群的群 ID。工作群需被邀请加入。</translation>
    </message>
    <message>
        <source>Group ID</source>
        <translation>群 ID</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>A word to the admins (optional)</source>
        <translation>给管理员留言（可选）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>JumpButton</name>
    <message numerus="yes">
        <source>%n new message(s) below</source>
        <translation>
            <numerusform>下方有 %n 条新消息</numerusform>
        </translation>
    </message>
    <message>
        <source>Jump to the latest message</source>
        <translation>回到最新消息</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <source>The demo could not start: %1</source>
        <translation>演示无法启动：%1</translation>
    </message>
    <message>
        <source>Creating your account…</source>
        <translation>正在注册…</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Enter the address of your Tidings server.</source>
        <translation>请输入 Tidings 服务器地址。</translation>
    </message>
    <message>
        <source>Enter your user ID.</source>
        <translation>请输入用户 ID。</translation>
    </message>
    <message>
        <source>Choose a password.</source>
        <translation>请设置密码。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Wrong user ID or password.</source>
        <translation>用户 ID 或密码错误。</translation>
    </message>
    <message>
        <source>The user ID “%1” is already taken. Choose another one, or sign in if it is yours.</source>
        <translation>用户 ID“%1”已被注册，请换一个；如果这是你的账号，请直接登录。</translation>
    </message>
    <message>
        <source>That password is too weak. Use at least 6 characters.</source>
        <translation>密码过于简单，请至少使用 6 个字符。</translation>
    </message>
    <message>
        <source>This server does not let people create accounts. Ask its administrator for one.</source>
        <translation>此服务器未开放注册，请联系管理员为你开通账号。</translation>
    </message>
    <message>
        <source>“%1” is not a server address. Try one like http://im.example.com:8700.</source>
        <translation>“%1”不是有效的服务器地址。地址格式如：http://im.example.com:8700</translation>
    </message>
    <message>
        <source>No Tidings server answers at this address. Check it and try again.</source>
        <translation>该地址没有 Tidings 服务器响应，请检查后重试。</translation>
    </message>
    <message>
        <source>The server took too long to answer. Try again in a moment.</source>
        <translation>服务器响应超时，请稍后重试。</translation>
    </message>
    <message>
        <source>The Tidings service on this computer could not start.</source>
        <translation>本机的 Tidings 服务无法启动。</translation>
    </message>
    <message>
        <source>Can&apos;t reach the server. Check the address and your connection.</source>
        <translation>无法连接服务器，请检查地址和网络连接。</translation>
    </message>
    <message>
        <source>Something went wrong (%1). Try again.</source>
        <translation>出错了（%1），请重试。</translation>
    </message>
    <message>
        <source>A user ID is 1–32 letters, digits, “_” or “-” (no spaces).</source>
        <translation>用户 ID 由 1–32 个字母、数字、_ 或 - 组成，不能含空格。</translation>
    </message>
    <message>
        <source>Create a Tidings account</source>
        <translation>注册 Tidings 账号</translation>
    </message>
    <message>
        <source>Sign in to Tidings</source>
        <translation>登录 Tidings</translation>
    </message>
    <message>
        <source>Create an account to start chatting.</source>
        <translation>注册账号，开始聊天。</translation>
    </message>
    <message>
        <source>Welcome back! Sign in to start chatting.</source>
        <translation>欢迎回来！登录后即可开始聊天。</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Another server…</source>
        <translation>其他服务器…</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>用户 ID</translation>
    </message>
    <message>
        <source>Letters, digits, _ or -</source>
        <translation>字母、数字、_ 或 -</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>How others see you (optional)</source>
        <translation>别人看到的名字（选填）</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>At least 6 characters</source>
        <translation>至少 6 个字符</translation>
    </message>
    <message>
        <source>Keep me signed in</source>
        <translation>保持登录</translation>
    </message>
    <message>
        <source>Sign in automatically next time. Your password is never stored.</source>
        <translation>下次打开时自动登录。你的密码不会被保存。</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>体验演示</translation>
    </message>
    <message>
        <source>New to Tidings? %1</source>
        <translation>第一次使用 Tidings？%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Delete chat</source>
        <translation>删除聊天</translation>
    </message>
    <message>
        <source>Delete the chat with %1?</source>
        <translation>确定删除与“%1”的聊天吗？</translation>
    </message>
    <message>
        <source>Its messages are removed for you only. A new message brings the chat back.</source>
        <translation>仅删除你这边的记录，收到新消息时会重新出现。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>My profile…</source>
        <translation>我的资料…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Quit Tidings</source>
        <translation>退出 Tidings</translation>
    </message>
    <message>
        <source>Your user ID is %1. Others who use Tidings on this computer can start a chat with you with it.</source>
        <translation>你的用户 ID 是 %1。在这台电脑上使用 Tidings 的其他人可以用它和你聊天。</translation>
    </message>
    <message>
        <source>Your user ID is %1. Share it so that people can start a chat with you.</source>
        <translation>你的用户 ID 是 %1。把它告诉别人，对方就能和你聊天。</translation>
    </message>
    <message>
        <source>Contacts are coming soon</source>
        <translation type="vanished">通讯录即将推出</translation>
    </message>
    <message>
        <source>Your friends, friend requests and blocked users will live here.</source>
        <translation type="vanished">届时你的好友、好友申请和黑名单都会在这里。</translation>
    </message>
    <message>
        <source>Groups are coming soon</source>
        <translation type="vanished">群聊即将推出</translation>
    </message>
    <message>
        <source>Create groups, manage members and join public groups here.</source>
        <translation type="vanished">届时可在这里创建群聊、管理成员、加入公开群。</translation>
    </message>
</context>
<context>
    <name>Media</name>
    <message>
        <source>You recalled a message from %1</source>
        <translation>你撤回了%1的一条消息</translation>
    </message>
    <message>
        <source>%1 recalled a message from %2</source>
        <translation>%1撤回了%2的一条消息</translation>
    </message>
    <message>
        <source>You recalled a message</source>
        <translation>你撤回了一条消息</translation>
    </message>
    <message>
        <source>%1 recalled a message</source>
        <translation>%1 撤回了一条消息</translation>
    </message>
    <message>
        <source>edited %1</source>
        <translation>已编辑 %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Forwarded messages</source>
        <translation>转发的消息</translation>
    </message>
    <message>
        <source>Chat history</source>
        <translation>聊天记录</translation>
    </message>
    <message>
        <source>%1° N</source>
        <translation>北纬 %1°</translation>
    </message>
    <message>
        <source>%1° S</source>
        <translation>南纬 %1°</translation>
    </message>
    <message>
        <source>%1° E</source>
        <translation>东经 %1°</translation>
    </message>
    <message>
        <source>%1° W</source>
        <translation>西经 %1°</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
</context>
<context>
    <name>MediaViewer</name>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <source>Save as… (Ctrl+S)</source>
        <translation>另存为… (Ctrl+S)</translation>
    </message>
    <message>
        <source>Zoom in (+)</source>
        <translation>放大 (+)</translation>
    </message>
    <message>
        <source>Zoom out (−)</source>
        <translation>缩小 (−)</translation>
    </message>
    <message>
        <source>Previous (←)</source>
        <translation>上一个 (←)</translation>
    </message>
    <message>
        <source>Next (→)</source>
        <translation>下一个 (→)</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>第 %1 个，共 %2 个</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <source>Could not save: %1</source>
        <translation>无法保存：%1</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
</context>
<context>
    <name>MemberPicker</name>
    <message>
        <source>No one matches. A user ID has letters, digits, _ and - only.</source>
        <translation>没有匹配的人。用户 ID 只含字母、数字、_ 和 -。</translation>
    </message>
    <message>
        <source>Press Enter to add the user ID “%1”.</source>
        <translation>按回车添加用户 ID“%1”。</translation>
    </message>
    <message>
        <source>No recent chats. Type a user ID above to add someone.</source>
        <translation>没有最近的聊天。在上方输入用户 ID 来添加。</translation>
    </message>
    <message>
        <source>Search recent chats or type a user ID</source>
        <translation>搜索最近聊天或输入用户 ID</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
</context>
<context>
    <name>MemberRowDelegate</name>
    <message>
        <source>%1 (you)</source>
        <translation>%1（你）</translation>
    </message>
    <message>
        <source>muted until %1</source>
        <translation>禁言至 %1</translation>
    </message>
</context>
<context>
    <name>MergerDialog</name>
    <message>
        <source>Chat history</source>
        <translation>聊天记录</translation>
    </message>
    <message>
        <source>This forwarded history is empty</source>
        <translation>这条转发的聊天记录是空的</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>Earlier messages will load when you&apos;re online</source>
        <translation>联网后将加载更早的消息</translation>
    </message>
    <message>
        <source>Loading earlier messages…</source>
        <translation>正在加载更早的消息…</translation>
    </message>
    <message>
        <source>Load earlier messages</source>
        <translation>加载更早的消息</translation>
    </message>
    <message>
        <source>Unread messages</source>
        <translation>以下为未读消息</translation>
    </message>
    <message>
        <source>Not sent. Click to try again.</source>
        <translation>发送失败，点击重新发送。</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>发送中…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>已读</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>发送失败</translation>
    </message>
</context>
<context>
    <name>MyProfileDialog</name>
    <message>
        <source>Choose a photo</source>
        <translation>选择照片</translation>
    </message>
    <message>
        <source>Pictures (%1)</source>
        <translation>图片 (%1)</translation>
    </message>
    <message>
        <source>Opening the picture…</source>
        <translation>正在打开图片…</translation>
    </message>
    <message>
        <source>The name is at most 64 bytes (a Chinese character takes 3).</source>
        <translation>昵称最多 64 字节（一个汉字占 3 字节）。</translation>
    </message>
    <message>
        <source>The bio is at most 500 bytes (a Chinese character takes 3).</source>
        <translation>个性签名最多 500 字节（一个汉字占 3 字节）。</translation>
    </message>
    <message>
        <source>The region is at most 16 bytes (a Chinese character takes 3).</source>
        <translation>地区最多 16 字节（一个汉字占 3 字节）。</translation>
    </message>
    <message>
        <source>Uploading the photo…</source>
        <translation>正在上传照片…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>That file is not a picture Tidings can read. Choose a JPEG, PNG, GIF, WebP or BMP picture.</source>
        <translation>Tidings 无法读取这个文件。请选择 JPEG、PNG、GIF、WebP 或 BMP 图片。</translation>
    </message>
    <message>
        <source>That picture is too large to open safely (more than 50 megapixels).</source>
        <translation>这张图片太大，无法安全打开（超过 5000 万像素）。</translation>
    </message>
    <message>
        <source>That file is too large; a photo may be at most 28 MB.</source>
        <translation>文件太大，照片最多 28 MB。</translation>
    </message>
    <message>
        <source>That file cannot be read.</source>
        <translation>无法读取这个文件。</translation>
    </message>
    <message>
        <source>You are offline, so the photo cannot be uploaded. Try again once connected.</source>
        <translation>你已离线，照片无法上传。连接后请重试。</translation>
    </message>
    <message>
        <source>Anyone with your ID can add you; no request to accept.</source>
        <translation>知道你 ID 的人都能直接加你为好友，无需验证。</translation>
    </message>
    <message>
        <source>Friend requests to you are refused.</source>
        <translation>拒绝任何人加你为好友。</translation>
    </message>
    <message>
        <source>Requests wait in New friends until you accept them.</source>
        <translation>好友申请会在“新的朋友”中等待你同意。</translation>
    </message>
    <message>
        <source>My profile</source>
        <translation>我的资料</translation>
    </message>
    <message>
        <source>User ID: %1</source>
        <translation>用户 ID：%1</translation>
    </message>
    <message>
        <source>Change photo</source>
        <translation>更换头像</translation>
    </message>
    <message>
        <source>Remove photo</source>
        <translation>移除头像</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Bio</source>
        <translation>个性签名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Who can add me</source>
        <translation>加我为好友时</translation>
    </message>
    <message>
        <source>The name others see</source>
        <translation>别人看到的名字</translation>
    </message>
    <message>
        <source>A few words about you</source>
        <translation>介绍一下自己</translation>
    </message>
    <message>
        <source>e.g. Shanghai</source>
        <translation>例如：上海</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Remove the birthday</source>
        <translation>清除生日</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>允许任何人</translation>
    </message>
    <message>
        <source>Ask me first</source>
        <translation>需要验证</translation>
    </message>
    <message>
        <source>Nobody</source>
        <translation>拒绝任何人</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Position your photo</source>
        <translation>调整头像</translation>
    </message>
    <message>
        <source>Drag to move it, scroll or use the slider to zoom.</source>
        <translation>拖动可移动图片，滚动滚轮或拖动滑块可缩放。</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Use photo</source>
        <translation>使用照片</translation>
    </message>
</context>
<context>
    <name>NavRail</name>
    <message>
        <source>Chats</source>
        <translation>聊天</translation>
    </message>
    <message numerus="yes">
        <source>Chats (%n unread)</source>
        <translation>
            <numerusform>聊天（%n 条未读）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Contacts (%n new friend requests)</source>
        <translation>
            <numerusform>联系人（%n 个新的好友请求）</numerusform>
        </translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>通讯录</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>群聊</translation>
    </message>
    <message numerus="yes">
        <source>Groups (%n join requests)</source>
        <translation>
            <numerusform>群聊（%n 条入群申请）</numerusform>
        </translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>My account</source>
        <translation>我的账号</translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <source>New chat</source>
        <translation>发起聊天</translation>
    </message>
    <message>
        <source>Start a new chat</source>
        <translation>发起新聊天</translation>
    </message>
    <message>
        <source>Enter the user ID of the person you want to write to.</source>
        <translation>输入对方的用户 ID，即可开始聊天。</translation>
    </message>
    <message>
        <source>User ID, e.g. alice</source>
        <translation>用户 ID，例如 alice</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Start chat</source>
        <translation>开始聊天</translation>
    </message>
    <message>
        <source>A user ID has 1 to 32 characters: letters, digits, _ and -.</source>
        <translation>用户 ID 由 1–32 个字母、数字、_ 或 - 组成。</translation>
    </message>
    <message>
        <source>There is no user with the ID “%1”.</source>
        <translation>用户 ID“%1”不存在。</translation>
    </message>
</context>
<context>
    <name>Notifications</name>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>%n new messages</source>
        <translation>%n 条新消息</translation>
    </message>
    <message>
        <source>Tidings</source>
        <translation>Tidings</translation>
    </message>
    <message>
        <source>in %n chats</source>
        <translation>来自 %n 个聊天</translation>
    </message>
</context>
<context>
    <name>ProfileCard</name>
    <message>
        <source>ID: %1</source>
        <translation>ID：%1</translation>
    </message>
    <message>
        <source>In no group</source>
        <translation>未分组</translation>
    </message>
    <message>
        <source>A remark is at most 96 bytes (a Chinese character takes 3).</source>
        <translation>备注最多 96 字节（一个汉字占 3 字节）。</translation>
    </message>
    <message>
        <source>Remove friend</source>
        <translation>删除好友</translation>
    </message>
    <message>
        <source>Remove %1 from your friends?</source>
        <translation>要将 %1 从好友中删除吗？</translation>
    </message>
    <message>
        <source>You are removed from their friends too. Your chat stays.</source>
        <translation>你也会从对方的好友中移除。聊天记录会保留。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>加入黑名单</translation>
    </message>
    <message>
        <source>Block %1?</source>
        <translation>要将 %1 加入黑名单吗？</translation>
    </message>
    <message>
        <source>They can no longer message you or send you friend requests, and you leave each other&apos;s friends.</source>
        <translation>对方将无法给你发消息或发送好友请求，你们也会互相从好友中移除。</translation>
    </message>
    <message>
        <source>Add friend</source>
        <translation>添加好友</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>移出黑名单</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>已加入黑名单</translation>
    </message>
    <message>
        <source>Not in your friends</source>
        <translation>不是你的好友</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>个性签名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Friend groups</source>
        <translation>好友分组</translation>
    </message>
    <message>
        <source>Add a name only you see</source>
        <translation>添加只有你能看到的名字</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>发消息</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>修改</translation>
    </message>
</context>
<context>
    <name>QuickSwitcher</name>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>群组</translation>
    </message>
    <message>
        <source>Nothing matches “%1”.</source>
        <translation>没有与“%1”匹配的结果。</translation>
    </message>
    <message>
        <source>No chats, contacts or groups yet.</source>
        <translation>还没有聊天、联系人或群组。</translation>
    </message>
    <message>
        <source>Go to a chat, contact or group</source>
        <translation>前往聊天、联系人或群组</translation>
    </message>
    <message>
        <source>Quick switcher</source>
        <translation>快速切换</translation>
    </message>
    <message>
        <source>↑↓ to move · Enter to open · Esc to close</source>
        <translation>↑↓ 选择 · Enter 打开 · Esc 关闭</translation>
    </message>
</context>
<context>
    <name>RecordingBar</name>
    <message>
        <source>‹  Slide left or press Esc to cancel</source>
        <translation>‹  向左滑动或按 Esc 取消</translation>
    </message>
    <message>
        <source>‹  Esc to cancel</source>
        <translation>‹  按 Esc 取消</translation>
    </message>
    <message>
        <source>Delete the recording (Esc)</source>
        <translation>删除录音（Esc）</translation>
    </message>
    <message>
        <source>Send the voice message (Enter)</source>
        <translation>发送语音消息（Enter）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>The voice message could not be recorded: %1</source>
        <translation>无法录制语音消息：%1</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>All chats</source>
        <translation>全部聊天</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>任何人</translation>
    </message>
    <message>
        <source>Me</source>
        <translation>我</translation>
    </message>
    <message>
        <source>1 message found</source>
        <translation>找到 1 条消息</translation>
    </message>
    <message>
        <source>%1 messages found</source>
        <translation>找到 %1 条消息</translation>
    </message>
    <message>
        <source>Search the messages of every chat on this device.</source>
        <translation>搜索本机上所有聊天的消息。</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>No messages match “%1”.</source>
        <translation>没有与“%1”匹配的消息。</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>搜索消息</translation>
    </message>
    <message>
        <source>Any type</source>
        <translation>任意类型</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Locations</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Chat histories</source>
        <translation>聊天记录</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>任意时间</translation>
    </message>
    <message>
        <source>Past day</source>
        <translation>最近一天</translation>
    </message>
    <message>
        <source>Past week</source>
        <translation>最近一周</translation>
    </message>
    <message>
        <source>Past month</source>
        <translation>最近一个月</translation>
    </message>
    <message>
        <source>Past year</source>
        <translation>最近一年</translation>
    </message>
    <message>
        <source>Search messages for “%1”</source>
        <translation>搜索包含“%1”的消息</translation>
    </message>
</context>
<context>
    <name>SelectionBar</name>
    <message>
        <source>%1 selected</source>
        <translation>已选择 %1 条</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Delete for me</source>
        <translation>仅为我删除</translation>
    </message>
    <message>
        <source>Forward…</source>
        <translation>转发…</translation>
    </message>
</context>
<context>
    <name>SendPreview</name>
    <message>
        <source>Folders can&apos;t be sent</source>
        <translation>无法发送文件夹</translation>
    </message>
    <message>
        <source>Can&apos;t be read</source>
        <translation>无法读取</translation>
    </message>
    <message>
        <source>Too large for a photo: %1 (at most %2)</source>
        <translation>作为图片过大：%1（最大 %2）</translation>
    </message>
    <message>
        <source>Too large for a video: %1 (at most %2)</source>
        <translation>作为视频过大：%1（最大 %2）</translation>
    </message>
    <message>
        <source>Too large: %1 (files can be at most %2)</source>
        <translation>文件过大：%1（文件最大 %2）</translation>
    </message>
    <message>
        <source>Send a photo</source>
        <translation>发送 1 张图片</translation>
    </message>
    <message>
        <source>Send %1 photos</source>
        <translation>发送 %1 张图片</translation>
    </message>
    <message>
        <source>Send a video</source>
        <translation>发送 1 个视频</translation>
    </message>
    <message>
        <source>Send %1 videos</source>
        <translation>发送 %1 个视频</translation>
    </message>
    <message>
        <source>Send a file</source>
        <translation>发送 1 个文件</translation>
    </message>
    <message>
        <source>Send %1 files</source>
        <translation>发送 %1 个文件</translation>
    </message>
    <message>
        <source>Send files</source>
        <translation>发送文件</translation>
    </message>
    <message>
        <source>Send as files</source>
        <translation>以文件发送</translation>
    </message>
    <message>
        <source>Add a caption…</source>
        <translation>添加说明…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Send messages with</source>
        <translation>发送快捷键</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Enter (Shift+Enter for a new line)</source>
        <translation>Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <source>Ctrl+Enter (Enter for a new line)</source>
        <translation>Ctrl+Enter 发送，Enter 换行</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window is closed</source>
        <translation>关闭窗口时最小化到托盘</translation>
    </message>
    <message>
        <source>Show desktop notifications for new messages</source>
        <translation>收到新消息时显示桌面通知</translation>
    </message>
    <message>
        <source>Do not disturb (no pop-ups or sounds)</source>
        <translation>免打扰（无弹窗和提示音）</translation>
    </message>
    <message>
        <source>Play a sound</source>
        <translation>播放提示音</translation>
    </message>
    <message>
        <source>Do not disturb every day from</source>
        <translation>每天免打扰，从</translation>
    </message>
    <message>
        <source>Start Tidings when I sign in to this computer</source>
        <translation>登录此电脑时启动 Tidings</translation>
    </message>
    <message>
        <source>Start in the tray, without the window</source>
        <translation>启动时只在托盘中运行，不显示窗口</translation>
    </message>
    <message>
        <source>Signed in as %1</source>
        <translation>当前账号：%1</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Keyboard shortcuts…</source>
        <translation>键盘快捷键…</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Photo and video viewer</source>
        <translation>图片和视频查看器</translation>
    </message>
    <message>
        <source>Go to a chat, contact or group</source>
        <translation>前往聊天、联系人或群组</translation>
    </message>
    <message>
        <source>Next chat</source>
        <translation>下一个聊天</translation>
    </message>
    <message>
        <source>Previous chat</source>
        <translation>上一个聊天</translation>
    </message>
    <message>
        <source>Next unread chat</source>
        <translation>下一个未读聊天</translation>
    </message>
    <message>
        <source>Previous unread chat</source>
        <translation>上一个未读聊天</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>群聊</translation>
    </message>
    <message>
        <source>Close the open panel, popup or selection</source>
        <translation>关闭打开的面板、弹窗或选择</translation>
    </message>
    <message>
        <source>Open the selected chat, contact or group</source>
        <translation>打开选中的聊天、联系人或群组</translation>
    </message>
    <message>
        <source>Menu of the selected row or message</source>
        <translation>选中行或消息的菜单</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>New line</source>
        <translation>换行</translation>
    </message>
    <message>
        <source>Edit your last message (message box empty)</source>
        <translation>编辑你的上一条消息（输入框为空时）</translation>
    </message>
    <message>
        <source>Find in this chat</source>
        <translation>在此聊天中查找</translation>
    </message>
    <message>
        <source>Search all messages</source>
        <translation>搜索全部消息</translation>
    </message>
    <message>
        <source>Copy the selected message or text</source>
        <translation>复制选中的消息或文字</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>发起聊天</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Quit Tidings</source>
        <translation>退出 Tidings</translation>
    </message>
    <message>
        <source>Previous or next photo or video</source>
        <translation>上一张或下一张图片/视频</translation>
    </message>
    <message>
        <source>Zoom in or out</source>
        <translation>放大或缩小</translation>
    </message>
    <message>
        <source>Fit to the window</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Close the viewer</source>
        <translation>关闭查看器</translation>
    </message>
</context>
<context>
    <name>ShortcutsSheet</name>
    <message>
        <source>or</source>
        <translation>或</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
</context>
<context>
    <name>SignedOutDialog</name>
    <message>
        <source>Signed out</source>
        <translation>下线通知</translation>
    </message>
    <message>
        <source>Your account signed in on another computer, so it was signed out here.</source>
        <translation>你的账号已在另一台电脑上登录，本机已下线。</translation>
    </message>
    <message>
        <source>Sign in again to continue here; the other computer will then be signed out.</source>
        <translation>如需在本机继续使用，请重新登录；另一台电脑将随之下线。</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>重新登录</translation>
    </message>
    <message>
        <source>Your sign-in has expired.</source>
        <translation>登录已过期。</translation>
    </message>
    <message>
        <source>Sign in with your password to continue.</source>
        <translation>请输入密码重新登录。</translation>
    </message>
</context>
<context>
    <name>StartingWindow</name>
    <message>
        <source>Tidings — Demo</source>
        <translation>Tidings — 演示</translation>
    </message>
    <message>
        <source>Starting the demo…</source>
        <translation>正在启动演示…</translation>
    </message>
    <message>
        <source>Sample chats and a bot that answers, kept on this computer only. Sign in for real whenever you like.</source>
        <translation>示例聊天和会回复的机器人，只保存在这台电脑上。随时可以正式登录。</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>收取中…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>网络不可用</translation>
    </message>
    <message>
        <source>Offline — reconnecting…</source>
        <translation>网络不可用，正在重新连接…</translation>
    </message>
    <message numerus="yes">
        <source>Offline — retrying in %n s</source>
        <translation>
            <numerusform>网络不可用，%n 秒后重试</numerusform>
        </translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>立即重试</translation>
    </message>
</context>
<context>
    <name>SystemConversation</name>
    <message>
        <source>Group notifications</source>
        <translation>群通知</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Open Tidings</source>
        <translation>打开 Tidings</translation>
    </message>
    <message>
        <source>Do not disturb</source>
        <translation>免打扰</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message numerus="yes">
        <source>Tidings — %n unread</source>
        <translation>
            <numerusform>Tidings — %n 条未读消息</numerusform>
        </translation>
    </message>
    <message>
        <source>Tidings</source>
        <translation>Tidings</translation>
    </message>
</context>
<context>
    <name>VideoPlayerWidget</name>
    <message>
        <source>This video cannot be played</source>
        <translation>无法播放这个视频</translation>
    </message>
</context>
<context>
    <name>VoiceRecorder</name>
    <message>
        <source>Voice messages need PortAudio, which is not installed</source>
        <translation>语音消息需要 PortAudio，但它没有安装</translation>
    </message>
    <message>
        <source>No microphone was found on this computer</source>
        <translation>这台电脑上没有找到麦克风</translation>
    </message>
</context>
</TS>
