#include "compiler/base/file_system.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace flow {
namespace {

TEST(PathTest, Normalize) {
  EXPECT_EQ(NormalizePath("a/./b/../c.flow"), "a/c.flow");
  EXPECT_EQ(NormalizePath("./x.flow"), "x.flow");
  EXPECT_EQ(NormalizePath("../x.flow"), "../x.flow");
  EXPECT_EQ(NormalizePath("a/../../x"), "../x");
  EXPECT_EQ(NormalizePath("/a/../../x"), "/x");
  EXPECT_EQ(NormalizePath("a//b"), "a/b");
  EXPECT_EQ(NormalizePath("."), ".");
}

TEST(PathTest, JoinDirStem) {
  EXPECT_EQ(JoinPath("app/lib", "../util.flow"), "app/util.flow");
  EXPECT_EQ(JoinPath("", "./x.flow"), "x.flow");
  EXPECT_EQ(JoinPath("app", "/abs/x.flow"), "/abs/x.flow");
  EXPECT_EQ(DirName("a/b/c.flow"), "a/b");
  EXPECT_EQ(DirName("c.flow"), "");
  EXPECT_EQ(DirName("/c.flow"), "/");
  EXPECT_EQ(FileStem("lib/train.flow"), "train");
  EXPECT_EQ(FileStem("std/files"), "files");
  EXPECT_EQ(FileStem(".hidden"), ".hidden");
}

TEST(MemoryFileSystemTest, ReadExistsList) {
  MemoryFileSystem fs;
  fs.Add("a/x.flow", "X");
  fs.Add("a/y.flow", "Y");
  fs.Add("a/sub/z.flow", "Z");
  fs.Add("top.flow", "T");
  std::string error;
  EXPECT_EQ(fs.Read("a/x.flow", &error), "X");
  EXPECT_EQ(fs.Read("./a/../a/y.flow", &error), "Y");
  EXPECT_FALSE(fs.Read("a/missing.flow", &error).has_value());
  EXPECT_EQ(error, "no such file");
  EXPECT_TRUE(fs.Exists("top.flow"));
  EXPECT_FALSE(fs.Exists("a"));
  EXPECT_EQ(fs.List("a"), (std::vector<std::string>{"sub", "x.flow", "y.flow"}));
  EXPECT_EQ(fs.List(""), (std::vector<std::string>{"a", "top.flow"}));
  EXPECT_TRUE(fs.List("nothing").empty());
}

TEST(RealFileSystemTest, ReadAndList) {
  char dir_template[] = "/tmp/flow_fs_testXXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  std::string dir = dir_template;
  { std::ofstream(dir + "/b.flow") << "hello"; }
  { std::ofstream(dir + "/a.flow") << ""; }
  RealFileSystem fs;
  std::string error;
  EXPECT_EQ(fs.Read(dir + "/b.flow", &error), "hello");
  EXPECT_EQ(fs.Read(dir + "/a.flow", &error), "");
  EXPECT_FALSE(fs.Read(dir + "/missing.flow", &error).has_value());
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(fs.Read(dir, &error).has_value());
  EXPECT_EQ(error, "is a directory");
  EXPECT_TRUE(fs.Exists(dir + "/b.flow"));
  EXPECT_EQ(fs.List(dir), (std::vector<std::string>{"a.flow", "b.flow"}));
  std::remove((dir + "/a.flow").c_str());
  std::remove((dir + "/b.flow").c_str());
  rmdir(dir.c_str());
}

}  // namespace
}  // namespace flow
