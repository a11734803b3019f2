//! Who may do what: roles, the permissions they carry, and the rules for the
//! fields of an account (email, password) and of an API key's name. The UI
//! hides what a role cannot do; the server refuses it, with these same rules.

use serde::{Deserialize, Serialize};

use crate::Message;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, plus users, API keys and the audit trail.
    Admin,
    /// Generates, shares, deletes, runs batch jobs.
    Member,
    /// Looks and downloads; changes nothing.
    Viewer,
}

/// Something a request wants to do beyond reading codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Generate codes, one by one or in batch jobs, and steer those jobs.
    Generate,
    /// Delete, restore, share, revoke and set share expiry.
    ManageCodes,
    /// Users, API keys and the audit trail.
    Administer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Member, Role::Viewer];

    pub fn can(self, permission: Permission) -> bool {
        match permission {
            Permission::Generate | Permission::ManageCodes => matches!(self, Role::Admin | Role::Member),
            Permission::Administer => self == Role::Admin,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text.trim().to_ascii_lowercase())
    }

    pub fn title(self) -> Message {
        match self {
            Role::Admin => Message::new("管理员", "Admin"),
            Role::Member => Message::new("成员", "Member"),
            Role::Viewer => Message::new("只读", "Viewer"),
        }
    }
}

impl Permission {
    /// Why a role without this permission is refused.
    pub fn refusal(self) -> Message {
        match self {
            Permission::Generate => Message::new(
                "只读账号不能生成小程序码或管理批量任务",
                "Viewers cannot generate codes or run batch jobs",
            ),
            Permission::ManageCodes => Message::new(
                "只读账号不能删除、恢复或分享小程序码",
                "Viewers cannot delete, restore or share codes",
            ),
            Permission::Administer => Message::new("只有管理员可以进行此操作", "Only an admin can do this"),
        }
    }
}

/// The longest email address SMTP allows.
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Long enough for any passphrase, short enough that hashing stays cheap.
pub const MAX_PASSWORD_CHARS: usize = 128;
pub const MAX_KEY_NAME_CHARS: usize = 60;

/// A sign-in name: trimmed and lower-cased, so `Ann@Example.com` and `ann@example.com` are one account.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, Message> {
        let email = text.trim().to_lowercase();
        let invalid = || {
            Message::new(
                "请输入有效的邮箱地址，例如 name@example.com",
                "Enter a valid email address, e.g. name@example.com",
            )
        };
        if email.is_empty() {
            return Err(Message::new("请输入邮箱", "Enter an email address"));
        }
        if email.chars().count() > MAX_EMAIL_CHARS {
            return Err(Message::new(
                format!("邮箱最长 {MAX_EMAIL_CHARS} 个字符"),
                format!("An email address has at most {MAX_EMAIL_CHARS} characters"),
            ));
        }
        let Some((local, domain)) = email.split_once('@') else { return Err(invalid()) };
        let well_formed = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed {
            Ok(Self(email))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password's rules. Length is what matters (NIST SP 800-63B); no composition rules.
pub fn check_new_password(password: &str) -> Result<(), Message> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(Message::new(
            format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"),
            format!("A password needs at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(Message::new(
            format!("密码最长 {MAX_PASSWORD_CHARS} 个字符"),
            format!("A password has at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    if password.trim().is_empty() {
        return Err(Message::new("密码不能只包含空格", "A password cannot be only spaces"));
    }
    Ok(())
}

/// An API key's name, e.g. the system that uses it.
pub fn check_key_name(name: &str) -> Result<String, Message> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Message::new(
            "请为 API 密钥命名，例如使用它的系统",
            "Name the key, e.g. after the system using it",
        ));
    }
    if name.chars().count() > MAX_KEY_NAME_CHARS {
        return Err(Message::new(
            format!("名称最长 {MAX_KEY_NAME_CHARS} 个字符"),
            format!("A name has at most {MAX_KEY_NAME_CHARS} characters"),
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_members_and_admins_change_things_and_only_admins_administer() {
        for permission in [Permission::Generate, Permission::ManageCodes] {
            assert!(Role::Admin.can(permission) && Role::Member.can(permission));
            assert!(!Role::Viewer.can(permission));
        }
        assert!(Role::Admin.can(Permission::Administer));
        assert!(!Role::Member.can(Permission::Administer) && !Role::Viewer.can(Permission::Administer));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse(" Viewer "), Some(Role::Viewer));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Ann@Example.COM ").unwrap().as_str(), "ann@example.com");
        for bad in
            ["", "ann", "ann@", "@example.com", "ann@example", "a b@example.com", "a@b@c.com", "ann@.com"]
        {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn passwords_need_length_not_composition() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("          ").is_err());
        assert!(check_new_password("correct horse").is_ok());
        assert!(check_new_password("密码密码密码密码密码").is_ok());
        assert!(check_new_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)).is_err());
    }

    #[test]
    fn key_names_are_trimmed_and_bounded() {
        assert_eq!(check_key_name("  crm sync ").unwrap(), "crm sync");
        assert!(check_key_name("   ").is_err());
        assert!(check_key_name(&"k".repeat(MAX_KEY_NAME_CHARS + 1)).is_err());
    }
}
