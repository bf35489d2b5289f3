//! Moving an agent's directories into the archive and back: a rename when both sides are on one
//! file system, else a copy that is removed again if it fails (a full disk), so the source stays
//! whole until the copy is complete.

use std::fs;
use std::io;
use std::path::Path;

/// Moves the directory (or file) `from` to `to`, which must not exist; its parent is made.
pub(crate) fn move_tree(from: &Path, to: &Path) -> io::Result<()> {
    if to.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is already there", to.display()),
        ));
    }
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    match fs::rename(from, to) {
        Err(e) if e.kind() == io::ErrorKind::CrossesDevices => {
            if let Err(e) = copy_tree(from, to) {
                let _ = remove_tree(to);
                return Err(e);
            }
            remove_tree(from)
        }
        other => other,
    }
}

/// Copies `from` to `to`: directories, files (with their permissions) and symlinks as links.
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    let kind = fs::symlink_metadata(from)?.file_type();
    if kind.is_symlink() {
        std::os::unix::fs::symlink(fs::read_link(from)?, to)
    } else if kind.is_dir() {
        fs::create_dir(to)?;
        fs::set_permissions(to, fs::metadata(from)?.permissions())?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(from, to).map(drop)
    }
}

/// Removes a directory tree or a file.
pub(crate) fn remove_tree(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_a_tree_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("ws");
        fs::create_dir_all(from.join("sub")).unwrap();
        fs::write(from.join("sub/a.md"), "hello").unwrap();
        std::os::unix::fs::symlink("sub/a.md", from.join("link")).unwrap();
        let to = dir.path().join("archive/x/workspace");
        move_tree(&from, &to).unwrap();
        assert!(!from.exists());
        assert_eq!(fs::read_to_string(to.join("link")).unwrap(), "hello");
        fs::create_dir_all(&from).unwrap();
        assert_eq!(
            move_tree(&from, &to).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert!(from.exists(), "nothing moved");
        let copy = dir.path().join("copy");
        copy_tree(&to, &copy).unwrap();
        assert_eq!(fs::read_to_string(copy.join("sub/a.md")).unwrap(), "hello");
        assert!(fs::symlink_metadata(copy.join("link"))
            .unwrap()
            .file_type()
            .is_symlink());
    }
}
